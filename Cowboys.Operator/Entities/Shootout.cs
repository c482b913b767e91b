using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Cowboys.Operator.Entities;

/// <summary>The Shootout custom resource (example.com/v1alpha1), as manifests/crd defines it.</summary>
public sealed record Shootout : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "example.com";
    public const string Version = "v1alpha1";
    public const string Plural = "shootouts";
    public const string KindName = "Shootout";
    public const string GroupVersion = Group + "/" + Version;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ShootoutSpec? Spec { get; init; }

    [JsonPropertyName("status")]
    public ShootoutStatus? Status { get; init; }
}
