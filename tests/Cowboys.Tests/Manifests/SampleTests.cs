using Cowboys.Actors.Game.Rosters;
using Xunit;

namespace Cowboys.Tests.Manifests;

/// <summary>The sample Shootouts in manifests/samples.</summary>
public class SampleTests
{
    private static string SamplesDir => Path.Combine(Kustomize.ManifestsDir, "samples");

    private static IEnumerable<string> SampleFiles =>
        Directory.EnumerateFiles(SamplesDir, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order();

    [Fact]
    public void The_samples_kustomization_renders_every_sample_file_without_forcing_a_namespace()
    {
        var rendered = Kustomize.Render("manifests/samples");
        Assert.Equal(SampleFiles.Select(f => Kustomize.ReadFile(f).Name()).Order(), rendered.Select(o => o.Name()).Order());
        Assert.All(rendered, o => Assert.Null(o.At("metadata.namespace")));
        Assert.All(rendered, o => Assert.Equal((RosterParser.ApiVersion, RosterParser.Kind), (o.Str("apiVersion"), o.Kind())));
        Assert.Contains("full", rendered.Select(o => o.Name()));
    }

    /// <summary>
    /// A Shootout's spec is immutable (the CRD's self == oldSelf): `apply -f` of a file and then
    /// `apply -k` of the directory must send the same spec, or the second is refused. kustomize
    /// re-renders a folded (>) block that has more-indented lines with an extra line break.
    /// </summary>
    [Fact]
    public void Each_sample_has_the_same_spec_applied_as_a_file_or_through_the_kustomization()
    {
        var rendered = Kustomize.Render("manifests/samples").ToDictionary(o => o.Name()!);
        foreach (var file in SampleFiles)
        {
            var own = Kustomize.ReadFile(file);
            Assert.Equal(own.Str("spec.cowboys"), rendered[own.Name()!].Str("spec.cowboys"));
            Assert.Equal(Sorted(own.Map("spec")), Sorted(rendered[own.Name()!].Map("spec")));
        }
    }

    private static string Sorted(Dictionary<string, object?> map) =>
        string.Join("\n", map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    [Fact]
    public void Every_sample_s_spec_cowboys_is_a_valid_roster()
    {
        foreach (var sample in Kustomize.Render("manifests/samples"))
        {
            var json = sample.Str("spec.cowboys") ?? throw new Xunit.Sdk.XunitException($"{sample.Name()}: spec.cowboys is not a string");
            var roster = RosterParser.Parse(json);
            Assert.InRange(roster.Count, 2, 100);
        }
    }

    [Fact]
    public void Every_sample_file_reads_as_a_roster_named_after_its_shootout()
    {
        foreach (var file in SampleFiles)
        {
            var roster = RosterParser.ParseFile(file);
            Assert.Equal(Kustomize.ReadFile(file).Name(), roster.ShootoutName);
        }
    }

    [Fact]
    public void The_original_sample_is_the_five_cowboys_of_the_original()
    {
        var roster = RosterParser.ParseFile(Path.Combine(SamplesDir, "shootout-full.yaml"));
        Assert.Equal("full", roster.ShootoutName);
        Assert.Equal(
            [new("John", 10, 1), new("Bill", 8, 2), new("Sam", 10, 1), new("Peter", 5, 3), new("Philip", 15, 1)],
            roster.Cowboys.ToArray<CowboySpec>());
    }
}
