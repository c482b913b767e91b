using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Cowboys.Operator.Entities;

public sealed record ShootoutList : IKubernetesObject<V1ListMeta>, IItems<Shootout>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Shootout.GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ShootoutList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<Shootout> Items { get; set; } = new List<Shootout>();
}
