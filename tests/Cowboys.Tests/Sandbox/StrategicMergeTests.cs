using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;
using k8s.Models;
using Xunit;

namespace Cowboys.Tests.Sandbox;

/// <summary>Strategic merge patch as kubectl's client-side apply sends it.</summary>
public sealed class StrategicMergeTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static readonly JsonObject Deployment = Json("""
        {"metadata": {"name": "d", "labels": {"a": "1", "b": "2"}},
         "spec": {"replicas": 2, "template": {"spec": {
           "containers": [
             {"name": "op", "image": "op:1", "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}], "ports": [{"containerPort": 8080, "name": "http"}]},
             {"name": "side", "image": "side:1"}],
           "tolerations": [{"key": "a"}]}}}}
        """);

    [Fact]
    public void Containers_env_and_ports_merge_by_their_keys_and_unnamed_lists_are_replaced()
    {
        var patch = Json("""
            {"spec": {"template": {"spec": {
              "containers": [{"name": "op", "env": [{"name": "X", "value": "9"}], "ports": [{"containerPort": 9090}]}],
              "tolerations": [{"key": "b"}]}}}}
            """);

        var result = StrategicMerge.Apply(Deployment, patch, typeof(V1Deployment));

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["op", "side"], containers.Select(c => (string)c!["name"]!));
        Assert.Equal("op:1", (string?)containers[0]!["image"]);
        Assert.Equal(["X=9", "Y=2"], containers[0]!["env"]!.AsArray().Select(e => $"{e!["name"]}={e["value"]}"));
        Assert.Equal([8080, 9090], containers[0]!["ports"]!.AsArray().Select(p => (int)p!["containerPort"]!));
        Assert.Equal("""[{"key":"b"}]""", result["spec"]!["template"]!["spec"]!["tolerations"]!.ToJsonString());
    }

    [Fact]
    public void Patch_delete_removes_a_keyed_element_and_null_removes_a_member()
    {
        var patch = Json("""
            {"metadata": {"labels": {"b": null}},
             "spec": {"replicas": null, "template": {"spec": {"containers": [{"name": "side", "$patch": "delete"},
               {"name": "op", "ports": [{"containerPort": 8080, "$patch": "delete"}]}]}}}}
            """);

        var result = StrategicMerge.Apply(Deployment, patch, typeof(V1Deployment));

        Assert.Equal("""{"a":"1"}""", result["metadata"]!["labels"]!.ToJsonString());
        Assert.Null(result["spec"]!["replicas"]);
        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal("op", (string?)Assert.Single(containers)!["name"]);
        Assert.Empty(containers[0]!["ports"]!.AsArray());
    }

    [Fact]
    public void Set_element_order_puts_the_merged_list_in_the_patchs_order_and_directives_are_not_stored()
    {
        var patch = Json("""
            {"spec": {"template": {"spec": {
              "$setElementOrder/containers": [{"name": "side"}, {"name": "op"}],
              "containers": [{"name": "side", "image": "side:2"}]}}}}
            """);

        var result = StrategicMerge.Apply(Deployment, patch, typeof(V1Deployment));

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["side", "op"], containers.Select(c => (string)c!["name"]!));
        Assert.Equal("side:2", (string?)containers[0]!["image"]);
        Assert.DoesNotContain("$", result.ToJsonString());
    }

    [Fact]
    public void Patch_replace_replaces_an_object_whole_and_retain_keys_drops_the_others()
    {
        var patch = Json("""
            {"metadata": {"labels": {"$patch": "replace", "c": "3"}},
             "spec": {"$retainKeys": ["template"], "template": {"spec": {"containers": [{"name": "op"}]}}}}
            """);

        var result = StrategicMerge.Apply(Deployment, patch, typeof(V1Deployment));

        Assert.Equal("""{"c":"3"}""", result["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal(["template"], result["spec"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public void Finalizers_merge_and_delete_from_primitive_list_removes_one()
    {
        var current = Json("""{"metadata": {"finalizers": ["a", "b"]}}""");

        var added = StrategicMerge.Apply(current, Json("""{"metadata": {"finalizers": ["c"]}}"""), typeof(V1Pod));
        var removed = StrategicMerge.Apply(current, Json("""{"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}"""), typeof(V1Pod));

        Assert.Equal("""["a","b","c"]""", added["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""["b"]""", removed["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void Service_ports_merge_by_port()
    {
        var service = Json("""{"spec": {"ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}]}}""");

        var result = StrategicMerge.Apply(service, Json("""{"spec": {"ports": [{"port": 443, "targetPort": 8443}]}}"""), typeof(V1Service));

        Assert.Equal("""[{"port":80,"name":"http"},{"port":443,"name":"https","targetPort":8443}]""", result["spec"]!["ports"]!.ToJsonString());
    }
}
