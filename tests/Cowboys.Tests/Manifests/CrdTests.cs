using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Settings;
using Xunit;

namespace Cowboys.Tests.Manifests;

/// <summary>The Shootout CRD as <c>kubectl kustomize manifests</c> renders it.</summary>
public class CrdTests
{
    private static readonly Lazy<Dictionary<string, object?>> LazyCrd = new(() =>
        Kustomize.Render("manifests").Single("CustomResourceDefinition", "shootouts.example.com"));

    private static Dictionary<string, object?> Crd => LazyCrd.Value;

    private static Dictionary<string, object?> Version => Assert.Single(Crd.List("spec.versions")).Map("");

    private static Dictionary<string, object?> Schema => Version.Map("schema.openAPIV3Schema");

    private static List<string> Validate(string yaml) => StructuralSchema.Validate(Schema, Kustomize.Documents(yaml)[0]);

    private static string Shootout(string spec) => $$"""
        apiVersion: example.com/v1alpha1
        kind: Shootout
        metadata: {name: bad, namespace: cowboys}
        spec:
        {{spec}}
        """;

    private const string Cowboys = """  cowboys: '[{"name": "John", "health": 10, "damage": 1}]'""";

    [Fact]
    public void The_CRD_names_the_namespaced_Shootout_kind_of_example_com()
    {
        Assert.Equal("example.com", Crd.Str("spec.group"));
        Assert.Equal("Namespaced", Crd.Str("spec.scope"));
        Assert.Equal("Shootout", Crd.Str("spec.names.kind"));
        Assert.Equal("ShootoutList", Crd.Str("spec.names.listKind"));
        Assert.Equal("shootouts", Crd.Str("spec.names.plural"));
        Assert.Equal("shootout", Crd.Str("spec.names.singular"));
        Assert.Equal($"{Crd.Str("spec.names.plural")}.{Crd.Str("spec.group")}", Crd.Name());
        Assert.Equal(RosterParser.ApiVersion, $"{Crd.Str("spec.group")}/{Version.Str("name")}");
    }

    [Fact]
    public void The_only_version_v1alpha1_is_served_and_stored_with_a_status_subresource()
    {
        Assert.Equal("v1alpha1", Version.Str("name"));
        Assert.Equal(true, Version.At("served"));
        Assert.Equal(true, Version.At("storage"));
        Assert.Empty(Version.Map("subresources.status"));
    }

    [Fact]
    public void Kubectl_get_shows_phase_winner_beat_alive_and_age_columns()
    {
        var columns = Version.List("additionalPrinterColumns")
            .Select(c => (c.Str("name"), c.Str("type"), c.Str("jsonPath")))
            .ToList();
        Assert.Equal(
            [
                ("Phase", "string", ".status.phase"),
                ("Winner", "string", ".status.winner"),
                ("Beat", "integer", ".status.beat"),
                ("Alive", "integer", ".status.alive"),
                ("Age", "date", ".metadata.creationTimestamp"),
            ],
            columns);
    }

    [Fact]
    public void Every_status_printer_column_points_at_a_status_field_of_the_same_type()
    {
        foreach (var column in Version.List("additionalPrinterColumns").Where(c => c.Str("jsonPath")!.StartsWith(".status.", StringComparison.Ordinal)))
        {
            var field = column.Str("jsonPath")!.Split('.')[^1];
            Assert.Equal(column.Str("type"), Schema.Str($"properties.status.properties.{field}.type"));
        }
    }

    [Fact]
    public void The_spec_is_required_and_immutable_through_a_self_equals_oldSelf_rule()
    {
        Assert.Contains("spec", Schema.Strings("required"));
        var rule = Assert.Single(Schema.List("properties.spec.x-kubernetes-validations"));
        Assert.Equal("self == oldSelf", rule.Str("rule"));
        Assert.Equal("spec is immutable: delete the Shootout and create a new one to play again", rule.Str("message"));
    }

    [Fact]
    public void Status_conditions_are_a_map_list_keyed_by_type()
    {
        var conditions = Schema.Map("properties.status.properties.conditions");
        Assert.Equal("map", conditions.Str("x-kubernetes-list-type"));
        Assert.Equal(["type"], conditions.Strings("x-kubernetes-list-map-keys"));
        Assert.Equal(["type", "status"], conditions.Strings("items.required"));
        Assert.Equal(["True", "False", "Unknown"], conditions.Strings("items.properties.status.enum"));
    }

    [Fact]
    public void The_schema_accepts_the_original_sample_unchanged()
    {
        var sample = Kustomize.ReadFile(Path.Combine(Kustomize.ManifestsDir, "samples", "shootout-full.yaml"));
        Assert.Empty(StructuralSchema.Validate(Schema, sample));
    }

    [Fact]
    public void The_schema_accepts_every_rendered_sample()
    {
        var samples = Kustomize.Render("manifests/samples");
        Assert.NotEmpty(samples);
        foreach (var sample in samples) Assert.Empty(StructuralSchema.Validate(Schema, sample));
    }

    [Fact]
    public void The_schema_accepts_every_status_the_operator_computes()
    {
        var shootout = global::Cowboys.Tests.Operator.OperatorFixtures.Shootout();
        var plan = global::Cowboys.Operator.Desired.GamePlan.FromSpec(shootout).Plan!;
        var now = new DateTime(2026, 11, 26, 9, 30, 0, DateTimeKind.Utc);
        var statuses = new[]
        {
            global::Cowboys.Operator.Progress.ShootoutProgress.Invalid(shootout, "spec.cowboys: bad", now).Status,
            global::Cowboys.Operator.Progress.ShootoutProgress.Assess(shootout, plan, global::Cowboys.Operator.Progress.Observed.Nothing, now).Status,
        };
        foreach (var status in statuses)
        {
            var json = k8s.KubernetesJson.Serialize(shootout with { Status = status });
            Assert.Empty(StructuralSchema.Validate(Schema, Kustomize.Documents(json)[0]));
        }
    }

    [Fact]
    public void The_schema_accepts_a_status_as_the_operator_writes_it()
    {
        Assert.Empty(Validate("""
            apiVersion: example.com/v1alpha1
            kind: Shootout
            metadata: {name: full}
            spec:
              cowboys: '[]'
            status:
              phase: Finished
              winner: Philip
              beat: 7
              alive: 1
              cowboys: 5
              seed: -9223372036854775808
              message: Philip is the last man standing
              startTime: "2026-11-26T09:26:00Z"
              completionTime: "2026-11-26T09:26:09.5Z"
              observedGeneration: 1
              conditions:
                - {type: Ready, status: "True", observedGeneration: 1, lastTransitionTime: "2026-11-26T09:26:00Z", reason: AllUp, message: all 5 cowboys are up}
                - {type: Complete, status: "True", reason: Winner, lastTransitionTime: "2026-11-26T09:26:09Z"}
            """));
    }

    [Theory]
    [InlineData("  seed: 42", "spec.cowboys: required")]
    [InlineData("  cowboys: ''", "spec.cowboys: shorter than 1")]
    [InlineData("  cowboys: [{name: John, health: 10, damage: 1}]", "spec.cowboys: expected string")]
    [InlineData(Cowboys + "\n  rules: random", "spec.rules: string \"random\" is not one of [sequential, simultaneous]")]
    [InlineData(Cowboys + "\n  seed: '42'", "spec.seed: expected integer, got string \"42\"")]
    [InlineData(Cowboys + "\n  seed: 1.5", "spec.seed: expected integer")]
    [InlineData(Cowboys + "\n  seed: 9223372036854775808", "spec.seed: 9223372036854775808 does not fit in a 64-bit integer")]
    [InlineData(Cowboys + "\n  beat: 1", "spec.beat: expected string, got integer 1")]
    [InlineData(Cowboys + "\n  beat: '1'", "spec.beat: \"1\" does not match")]
    [InlineData(Cowboys + "\n  beat: 1h", "spec.beat: \"1h\" does not match")]
    [InlineData(Cowboys + "\n  beat: fast", "spec.beat: \"fast\" does not match")]
    [InlineData(Cowboys + "\n  cowbois: '[]'", "spec.cowbois: unknown field")]
    public void The_schema_rejects_a_bad_spec_naming_the_field(string spec, string expected)
    {
        var errors = Validate(Shootout(spec));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_schema_rejects_a_Shootout_without_spec()
    {
        Assert.Contains("spec: required", Validate("apiVersion: example.com/v1alpha1\nkind: Shootout\nmetadata: {name: x}\n"));
    }

    [Fact]
    public void The_schema_rejects_an_unknown_phase_and_a_condition_status_that_is_not_a_string()
    {
        var errors = Validate(Shootout(Cowboys) + "\nstatus:\n  phase: Won\n  conditions: [{type: Ready, status: true}]\n");
        Assert.Contains(errors, e => e.StartsWith("status.phase: string \"Won\" is not one of", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("status.conditions[0].status: expected string", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("0ms", true)]
    [InlineData("250ms", true)]
    [InlineData("1s", true)]
    [InlineData("1.5s", true)]
    [InlineData("2m", true)]
    [InlineData("", false)]
    [InlineData("1", false)]
    [InlineData("1h", false)]
    [InlineData("1 s", false)]
    [InlineData("-1s", false)]
    [InlineData("1.s", false)]
    [InlineData("s", false)]
    [InlineData("fast", false)]
    public void The_beat_pattern_agrees_with_the_cowboy_command_s_duration_parser(string beat, bool valid)
    {
        var pattern = Schema.Str("properties.spec.properties.beat.pattern")!;
        Assert.Equal(valid, System.Text.RegularExpressions.Regex.IsMatch(beat, pattern));
        Assert.Equal(valid, Duration.TryParse(beat, out _));
    }
}
