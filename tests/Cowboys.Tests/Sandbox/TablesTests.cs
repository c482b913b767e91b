using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;
using Xunit;

namespace Cowboys.Tests.Sandbox;

/// <summary>The Table responses kubectl get prints.</summary>
public sealed class TablesTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(330, "5m30s")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(100 * 86400, "100d")]
    [InlineData(3 * 365 * 86400 + 86400, "3y1d")]
    public void Durations_read_as_kubectl_prints_them(int seconds, string expected) =>
        Assert.Equal(expected, Tables.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(".status.phase", "\"Finished\"")]
    [InlineData("{.status.phase}", "\"Finished\"")]
    [InlineData(".spec.containers[1].name", "\"b\"")]
    [InlineData(".spec.containers[5].name", "null")]
    [InlineData(".status.missing.deeper", "null")]
    public void Simple_json_paths_find_their_node(string path, string expected)
    {
        var obj = JsonNode.Parse("""{"status": {"phase": "Finished"}, "spec": {"containers": [{"name": "a"}, {"name": "b"}]}}""");

        Assert.Equal(expected, Tables.Evaluate(obj, path)?.ToJsonString() ?? "null");
    }

    [Fact]
    public void A_custom_resources_table_has_name_then_its_printer_columns_with_dates_as_ages()
    {
        var crd = JsonNode.Parse("""
            {"spec": {"group": "example.com", "names": {"plural": "shootouts", "kind": "Shootout"}, "scope": "Namespaced",
             "versions": [{"name": "v1alpha1", "served": true, "storage": true, "subresources": {"status": {}},
               "additionalPrinterColumns": [{"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
                 {"name": "Beat", "type": "integer", "jsonPath": ".status.beat"},
                 {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]}]}}
            """)!.AsObject();
        var rt = Assert.Single(ApiServer.ServedBy(crd));
        var shootout = JsonNode.Parse("""{"metadata": {"name": "full", "creationTimestamp": "2026-01-01T11:55:00Z"}, "status": {"phase": "Running", "beat": 7}}""")!.AsObject();

        var table = Tables.ToTable(rt, [shootout], "9", null, Now);

        Assert.Equal(["Name", "Phase", "Beat", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal("""["full","Running",7,"5m"]""", table["rows"]![0]!["cells"]!.ToJsonString());
        Assert.Equal("PartialObjectMetadata", (string?)table["rows"]![0]!["object"]!["kind"]);
    }

    [Fact]
    public void A_pods_status_column_says_terminating_or_the_containers_reason_before_the_phase()
    {
        var rt = ResourceTable.BuiltIn.Single(r => r.Plural == "pods");
        JsonObject Pod(bool deleting)
        {
            var pod = JsonNode.Parse("""
                {"metadata": {"name": "p", "creationTimestamp": "2026-01-01T11:59:00Z"}, "spec": {"containers": [{"name": "c"}, {"name": "d"}]},
                 "status": {"phase": "Pending", "containerStatuses": [{"name": "c", "ready": true, "restartCount": 1},
                   {"name": "d", "ready": false, "restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}
                """)!.AsObject();
            if (deleting)
            {
                pod["metadata"]!["deletionTimestamp"] = "2026-01-01T12:00:00Z";
            }
            return pod;
        }

        var table = Tables.ToTable(rt, [Pod(deleting: false), Pod(deleting: true)], "1", "None", Now);

        Assert.Equal(["p", "1/2", "CrashLoopBackOff", "3", "60s"], table["rows"]![0]!["cells"]!.AsArray().Take(5).Select(c => c?.ToString()));
        Assert.Equal("Terminating", (string?)table["rows"]![1]!["cells"]![2]);
        Assert.Null(table["rows"]![0]!["object"]);
    }

    [Fact]
    public void A_pods_restarts_are_summed_when_the_kubelet_wrote_them_as_ints_not_parsed_json()
    {
        // the kubelet builds statuses in memory (JsonValue of int), unlike a parsed body (JsonElement)
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "p", ["creationTimestamp"] = "2026-01-01T11:59:00Z" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c" }) },
            ["status"] = new JsonObject { ["phase"] = "Running", ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "c", ["ready"] = true, ["restartCount"] = 4 }) },
        };

        var table = Tables.ToTable(ResourceTable.BuiltIn.Single(r => r.Plural == "pods"), [pod], "1", "None", Now);

        Assert.Equal("4", table["rows"]![0]!["cells"]![3]?.ToString());
    }

    [Theory]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", true)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void A_table_is_wanted_when_the_accept_header_asks_for_one(string? accept, bool wanted) => Assert.Equal(wanted, Tables.Wanted(accept));
}
