using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;
using Cowboys.Sandbox.Api.Validation;
using k8s.Models;
using Xunit;

namespace Cowboys.Tests.Sandbox;

/// <summary>The real API server's validation rules, as pure functions.</summary>
public sealed class ValidationTests
{
    private static ResourceType Kind(string plural) => ResourceTable.BuiltIn.First(r => r.Plural == plural && r.Group is "" or "batch" or "apps");

    [Theory]
    [InlineData("cowboys")]
    [InlineData("a")]
    [InlineData("cowboy-1")]
    public void A_dns_1035_label_starts_with_a_letter_and_ends_alphanumeric(string name) => Assert.Empty(Names.Dns1035Label(name));

    [Theory]
    [InlineData("1v1-cowboys")]
    [InlineData("cowboys-")]
    [InlineData("Cowboys")]
    [InlineData("cow.boys")]
    public void A_name_outside_the_dns_1035_rule_gets_the_servers_message(string name) =>
        Assert.Equal(["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"],
            Names.Dns1035Label(name));

    [Fact]
    public void A_label_of_64_characters_is_too_long_for_every_label_rule()
    {
        var name = new string('a', 64);
        Assert.Equal(["must be no more than 63 characters"], Names.Dns1035Label(name));
        Assert.Equal(["must be no more than 63 characters"], Names.Dns1123Label(name));
        Assert.Equal(["must be no more than 63 characters"], Names.LabelValue(name));
        Assert.Empty(Names.Dns1123Subdomain(name));
    }

    [Theory]
    [InlineData("1v1-cowboys", true)]
    [InlineData("example.com", true)]
    [InlineData("a..b", false)]
    [InlineData("-a", false)]
    [InlineData("a_b", false)]
    [InlineData("a\n", false)]
    public void A_dns_1123_subdomain_is_dot_separated_labels(string name, bool valid) => Assert.Equal(valid, Names.Dns1123Subdomain(name).Count == 0);

    [Theory]
    [InlineData("app", true)]
    [InlineData("app.kubernetes.io/name", true)]
    [InlineData("example.com/My_Name.1", true)]
    [InlineData("/name", false)]
    [InlineData("Example.com/name", false)]
    [InlineData("a/b/c", false)]
    [InlineData("-name", false)]
    [InlineData("name-", false)]
    [InlineData("", false)]
    public void A_label_key_is_an_optional_subdomain_prefix_and_a_name(string key, bool valid) => Assert.Equal(valid, Names.QualifiedName(key).Count == 0);

    [Fact]
    public void A_label_keys_name_part_is_at_most_63_characters()
    {
        Assert.Empty(Names.QualifiedName("example.com/" + new string('a', 63)));
        Assert.Equal(["name part must be no more than 63 characters"], Names.QualifiedName("example.com/" + new string('a', 64)));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("full", true)]
    [InlineData("My_Value.1-2", true)]
    [InlineData("John Wayne", false)]
    [InlineData("-x", false)]
    [InlineData("x.", false)]
    public void A_label_value_may_be_empty_or_alphanumerics_with_dashes_underscores_dots_inside(string value, bool valid) =>
        Assert.Equal(valid, Names.LabelValue(value).Count == 0);

    [Fact]
    public void Annotations_over_256_KiB_in_total_are_too_long()
    {
        var big = new string('x', Names.AnnotationsMaxBytes);
        Assert.Empty(Names.Annotations([KeyValuePair.Create("a", (string?)big[..^1])], "metadata.annotations"));
        Assert.Equal([FieldError.TooLong("metadata.annotations", Names.AnnotationsMaxBytes)],
            Names.Annotations([KeyValuePair.Create("a", (string?)big)], "metadata.annotations"));
    }

    [Fact]
    public void An_invalid_label_on_any_kind_is_reported_under_metadata_labels()
    {
        var configMap = JsonNode.Parse("""{"metadata": {"name": "roster", "labels": {"example.com/shootout": "the full game"}}}""")!.AsObject();

        var error = Assert.Single(ObjectValidation.ValidateCreate(Kind("configmaps"), configMap));

        Assert.Equal("metadata.labels", error.Field);
        Assert.StartsWith("Invalid value: \"the full game\": a valid label must be an empty string", error.Detail);
    }

    [Fact]
    public void Each_kind_names_by_its_own_rule()
    {
        JsonObject Named(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };
        Assert.Empty(ObjectValidation.Metadata(Kind("configmaps"), Named("1v1-cowboys")));
        Assert.NotEmpty(ObjectValidation.Metadata(Kind("services"), Named("1v1-cowboys")));
        Assert.NotEmpty(ObjectValidation.Metadata(Kind("namespaces"), Named("wild.west")));
        Assert.Equal(["metadata.name: Invalid value: \"" + new string('j', 64) + "\": must be no more than 63 characters"],
            ObjectValidation.Metadata(Kind("jobs"), Named(new string('j', 64))).Select(e => e.ToString()));
    }

    [Fact]
    public void A_job_needs_a_restart_policy_of_never_or_on_failure_and_containers_with_images()
    {
        var job = JsonNode.Parse("""{"metadata": {"name": "j"}, "spec": {"template": {"spec": {"containers": [{"name": "Cowboy"}]}}}}""")!.AsObject();

        var errors = ObjectValidation.ValidateCreate(Kind("jobs"), job).Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("spec.template.spec.containers[0].name: Invalid value: \"Cowboy\": a lowercase RFC 1123 label", StringComparison.Ordinal));
        Assert.Contains("spec.template.spec.containers[0].image: Required value: ", errors);
        Assert.Contains("spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"", errors);
    }

    [Fact]
    public void A_deployments_selector_must_match_its_template_labels()
    {
        var deployment = JsonNode.Parse("""
            {"metadata": {"name": "d"}, "spec": {"selector": {"matchLabels": {"app": "a"}},
             "template": {"metadata": {"labels": {"app": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
            """)!.AsObject();

        var error = Assert.Single(ObjectValidation.ValidateCreate(Kind("deployments"), deployment));

        Assert.Equal("spec.template.metadata.labels: Invalid value: {\"app\":\"b\"}: `selector` does not match template `labels`", error.ToString());
    }

    [Fact]
    public void A_jobs_template_completions_and_selector_are_immutable_but_parallelism_is_not()
    {
        var old = JsonNode.Parse("""{"metadata": {"name": "j"}, "spec": {"parallelism": 1, "completions": 1, "template": {"spec": {"containers": [{"name": "c", "image": "a"}]}}}}""")!.AsObject();
        var changed = old.DeepClone().AsObject();
        changed["spec"]!["parallelism"] = 2;
        Assert.Empty(ObjectValidation.Immutability(Kind("jobs"), old, changed));

        changed["spec"]!["completions"] = 3;
        changed["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "b";
        Assert.Equal(["spec.template", "spec.completions"], ObjectValidation.Immutability(Kind("jobs"), old, changed).Select(e => e.Field).OrderDescending());
        Assert.All(ObjectValidation.Immutability(Kind("jobs"), old, changed), e => Assert.EndsWith(": field is immutable", e.Detail));
    }

    [Fact]
    public void Unknown_fields_of_a_built_in_kind_are_found_at_any_depth_with_the_decoders_path()
    {
        var job = JsonNode.Parse("""
            {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j", "labelz": {}},
             "spec": {"template": {"spec": {"containerz": [], "containers": [{"name": "c", "image": "i", "imagePullPolicyy": "Never",
               "env": [{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name", "extra": 1}}}],
               "resources": {"limits": {"cpu": "1"}}}]}}}}
            """)!.AsObject();

        var unknown = BuiltInSchema.UnknownFields(job, typeof(V1Job));

        Assert.Equal(["metadata.labelz", "spec.template.spec.containerz", "spec.template.spec.containers[0].imagePullPolicyy",
            "spec.template.spec.containers[0].env[0].valueFrom.fieldRef.extra"], unknown);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_a_decoding_error_named_as_gos_decoder_names_it()
    {
        var deployment = JsonNode.Parse("""
            {"metadata": {"name": "d", "labels": {"a": "b"}}, "spec": {"replicas": "two", "paused": "no",
             "template": {"spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80.5}]}],
               "terminationGracePeriodSeconds": 30, "nodeSelector": {"disk": 1}}}}}
            """)!.AsObject();

        Assert.Equal([
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool",
            "json: cannot unmarshal number into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32",
            "json: cannot unmarshal number into Go struct field PodSpec.spec.template.spec.nodeSelector.disk of type string",
        ], BuiltInSchema.TypeErrors(deployment, typeof(V1Deployment)));
    }

    [Fact]
    public void Values_of_the_right_type_null_quantities_and_int_or_strings_decode()
    {
        var deployment = JsonNode.Parse("""
            {"metadata": {"name": "d", "creationTimestamp": null}, "spec": {"replicas": 2,
             "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
             "template": {"spec": {"containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": 1, "memory": "1Gi"}}}]}}}}
            """)!.AsObject();

        Assert.Empty(BuiltInSchema.TypeErrors(deployment, typeof(V1Deployment)));
    }

    [Fact]
    public void Pruning_drops_the_unknown_fields_and_keeps_the_known_ones()
    {
        var pod = JsonNode.Parse("""{"metadata": {"name": "p", "labels": {"any-key": "v"}}, "spec": {"containers": [{"name": "c", "image": "i", "x": 1}]}}""")!.AsObject();

        BuiltInSchema.UnknownFields(pod, typeof(V1Pod), prune: true);

        Assert.Equal("""{"metadata":{"name":"p","labels":{"any-key":"v"}},"spec":{"containers":[{"name":"c","image":"i"}]}}""", pod.ToJsonString());
    }

    [Fact]
    public void Unknown_fields_of_a_custom_resource_are_those_its_crd_schema_does_not_name()
    {
        var schema = JsonNode.Parse("""
            {"type": "object", "properties": {"spec": {"type": "object", "properties": {"cowboys": {"type": "string"},
              "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
              "tags": {"type": "object", "additionalProperties": {"type": "string"}}}},
             "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}}
            """)!.AsObject();
        var shootout = JsonNode.Parse("""
            {"apiVersion": "example.com/v1alpha1", "kind": "Shootout", "metadata": {"name": "full"},
             "spec": {"cowboys": "[]", "cowboyz": "[]", "extra": {"anything": 1}, "tags": {"a": "b"}}, "statuz": {}}
            """)!.AsObject();

        Assert.Equal(["spec.cowboyz", "statuz"], CustomSchema.UnknownFields(shootout, schema));
    }

    [Fact]
    public void A_status_write_is_checked_against_the_status_schema_enums_date_times_and_unique_list_map_keys()
    {
        var schema = JsonNode.Parse("""
            {"type": "object", "properties": {"spec": {"type": "object", "x-kubernetes-validations": [{"rule": "self == oldSelf"}]},
             "status": {"type": "object", "properties": {"phase": {"type": "string", "enum": ["Running", "Finished"]},
               "conditions": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"],
                 "items": {"type": "object", "required": ["type", "status"], "properties": {"type": {"type": "string"}, "status": {"type": "string"},
                   "lastTransitionTime": {"type": "string", "format": "date-time"}}}}}}}}
            """)!.AsObject();
        var crd = new ResourceType("example.com", "v1alpha1", "shootouts", "Shootout", Namespaced: true, HasStatusSubresource: true,
            Crd: new JsonObject { ["schema"] = new JsonObject { ["openAPIV3Schema"] = schema } });
        JsonObject Shootout(string status) => JsonNode.Parse($$"""
            {"apiVersion": "example.com/v1alpha1", "kind": "Shootout", "metadata": {"name": "full", "namespace": "default"}, "spec": {"seed": 1}, "status": {{status}}}
            """)!.AsObject();
        var old = Shootout("""{"phase": "Running"}""");

        var valid = Shootout("""
            {"phase": "Finished", "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": "2026-12-05T03:00:00Z"},
              {"type": "Finished", "status": "True", "lastTransitionTime": "2026-12-05T03:00:01.123456Z"}]}
            """);
        Assert.Empty(ObjectValidation.ValidateStatusUpdate(crd, old, valid));

        var invalid = Shootout("""
            {"phase": "Done", "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": "yesterday"},
              {"type": "Ready", "status": "True"}, {"type": "Finished"}]}
            """);
        Assert.Equal(
        [
            ("status.phase", "FieldValueNotSupported"),
            ("status.conditions[0].lastTransitionTime", "FieldValueInvalid"),
            ("status.conditions[2].status", "FieldValueRequired"),
            ("status.conditions[1]", "FieldValueDuplicate"),
        ], ObjectValidation.ValidateStatusUpdate(crd, old, invalid).Select(e => (e.Field, e.Reason)));
    }

    [Fact]
    public void Several_errors_are_joined_in_brackets_as_the_server_does()
    {
        FieldError[] errors = [FieldError.Required("spec.a", ""), FieldError.Invalid("spec.b", "x", "bad")];

        Assert.Equal("Job.batch \"j\" is invalid: [spec.a: Required value: , spec.b: Invalid value: \"x\": bad]",
            ApiError.Invalid(Kind("jobs"), "j", errors).Message);
    }

    [Fact]
    public void An_invalid_status_names_the_group_except_for_the_core_group()
    {
        var service = ApiError.Invalid(Kind("services"), "1v1-cowboys", [FieldError.Invalid("metadata.name", "1v1-cowboys", "bad")]).ToStatus();
        var job = ApiError.Invalid(Kind("jobs"), "j", [FieldError.Invalid("metadata.name", "j", "bad")]).ToStatus();

        Assert.Equal("""{"name":"1v1-cowboys","kind":"Service","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \u00221v1-cowboys\u0022: bad","field":"metadata.name"}]}""",
            service["details"]!.ToJsonString());
        Assert.Equal("batch", (string?)job["details"]!["group"]);
        Assert.Equal((422, "Invalid", "Failure"), ((int)service["code"]!, (string?)service["reason"], (string?)service["status"]));
    }
}
