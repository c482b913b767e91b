using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Cowboys.Operator.Entities;

public sealed record ShootoutSpec
{
    /// <summary>The original's format: a JSON array of {name, health, damage}, as a string.</summary>
    [JsonPropertyName("cowboys")]
    public string? Cowboys { get; init; }

    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    /// <summary>Time between the starts of two beats: 0, 250ms, 1s, 2m.</summary>
    [JsonPropertyName("beat")]
    public string? Beat { get; init; }

    /// <summary>sequential or simultaneous.</summary>
    [JsonPropertyName("rules")]
    public string? Rules { get; init; }
}
