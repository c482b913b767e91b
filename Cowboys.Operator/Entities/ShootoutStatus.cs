using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Cowboys.Operator.Entities;

public sealed record ShootoutStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }

    [JsonPropertyName("winner")]
    public string? Winner { get; init; }

    [JsonPropertyName("beat")]
    public int? Beat { get; init; }

    [JsonPropertyName("alive")]
    public int? Alive { get; init; }

    [JsonPropertyName("cowboys")]
    public int? Cowboys { get; init; }

    /// <summary>The seed the game is played with (spec.seed, or one the operator chose).</summary>
    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("startTime")]
    public DateTime? StartTime { get; init; }

    [JsonPropertyName("completionTime")]
    public DateTime? CompletionTime { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<ShootoutCondition>? Conditions { get; init; }

    public ShootoutCondition? Condition(string type) => Conditions?.FirstOrDefault(c => c.Type == type);
}
