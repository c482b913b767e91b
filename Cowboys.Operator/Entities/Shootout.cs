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

/// <summary>Phase and condition vocabulary of status.</summary>
public static class ShootoutPhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Finished = "Finished";
    public const string Failed = "Failed";

    public static bool IsTerminal(string? phase) => phase is Finished or Failed;
}

public static class ShootoutConditions
{
    public const string Valid = "Valid";
    public const string Ready = "Ready";
    public const string Finished = "Finished";

    /// <summary>True while the game goes on without a cowboy whose Job failed.</summary>
    public const string Degraded = "Degraded";
}
