using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Cowboys.Operator.Entities;

public sealed record ShootoutCondition
{
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>True, False or Unknown.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
