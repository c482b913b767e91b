using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cowboys.Actors.Game.Results;

/// <summary>A view as written, property for property: what is required is in every view; health, shots and leader came later.</summary>
internal sealed record ViewWire(
    [property: JsonPropertyName("beat"), JsonRequired] int Beat,
    [property: JsonPropertyName("alive"), JsonRequired] int Alive,
    [property: JsonPropertyName("cowboys"), JsonRequired] int Cowboys,
    [property: JsonPropertyName("deaths"), JsonRequired] ImmutableArray<Death> Deaths,
    [property: JsonPropertyName("winner"), JsonRequired] string? Winner,
    [property: JsonPropertyName("over"), JsonRequired] bool Over,
    [property: JsonPropertyName("health")] ImmutableArray<int>? Health,
    [property: JsonPropertyName("shots")] ImmutableArray<ViewShotWire>? Shots,
    [property: JsonPropertyName("leader")] string? Leader);

/// <summary>A shot of the view's beat: the beat is the view's.</summary>
internal sealed record ViewShotWire(
    [property: JsonPropertyName("shooter"), JsonRequired] string Shooter,
    [property: JsonPropertyName("target"), JsonRequired] string Target,
    [property: JsonPropertyName("damage"), JsonRequired] int Damage,
    [property: JsonPropertyName("targetHealth"), JsonRequired] int TargetHealth);
