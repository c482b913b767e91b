using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cowboys.Actors.Game.Rosters;

using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Game.Results;

/// <summary>A result as written, property for property; null where the JSON left one out (read checks for that).</summary>
internal sealed class ResultWire
{
    /// <summary>What <see cref="Shootout"/> and <see cref="Winner"/> hold when the JSON left them out: null is a value for them.</summary>
    private static readonly string Absent = new('?', 1);

    [JsonPropertyName("shootout")] public string? Shootout { get; set; } = Absent;
    [JsonPropertyName("rules")] public string? Rules { get; set; }
    [JsonPropertyName("seed")] public long? Seed { get; set; }
    [JsonPropertyName("winner")] public string? Winner { get; set; } = Absent;
    [JsonPropertyName("beats")] public int? Beats { get; set; }
    [JsonPropertyName("cowboys")] public CowboyWire?[]? Cowboys { get; set; }
    [JsonPropertyName("shots")] public ShotWire?[]? Shots { get; set; }
    [JsonPropertyName("events")] public EventWire?[]? Events { get; set; }
    [JsonPropertyName("faults")] public FaultWire?[]? Faults { get; set; }

    public static ResultWire Of(GameResult r) => new()
    {
        Shootout = r.Shootout,
        Rules = r.Rules.ToWire(),
        Seed = r.Seed,
        Winner = r.Winner,
        Beats = r.Beats,
        Cowboys = [.. OrEmpty(r.Cowboys).Select(c => new CowboyWire(c.Name, c.Health, c.Damage))],
        Shots = [.. OrEmpty(r.Shots).Select(s => new ShotWire(s.Beat, s.Shooter, s.Target, s.Damage, s.TargetHealth))],
        Events = [.. OrEmpty(r.Events).Select(e => new EventWire(e.Beat, e.Kind, e.Cowboy))],
        Faults = [.. OrEmpty(r.Faults).Select(f => new FaultWire(f.Beat, f.Kind, f.Cowboy, f.LeaderHost))],
    };

    public GameResult ToResult() => new(
        ReferenceEquals(Shootout, Absent) ? throw Missing("result", "shootout") : Shootout,
        Rules switch
        {
            "sequential" => RuleSet.Sequential,
            "simultaneous" => RuleSet.Simultaneous,
            null => throw Missing("result", "rules"),
            _ => throw new JsonException($"result.rules must be \"sequential\" or \"simultaneous\", got \"{Rules}\""),
        },
        Seed ?? throw Missing("result", "seed"),
        ReferenceEquals(Winner, Absent) ? throw Missing("result", "winner") : Winner,
        Beats ?? throw Missing("result", "beats"),
        Items(Cowboys, "cowboys", (c, at) => new CowboySpec(c.Name ?? throw Missing(at, "name"), c.Health ?? throw Missing(at, "health"), c.Damage ?? throw Missing(at, "damage"))),
        Items(Shots, "shots", (s, at) => new Shot(s.Beat ?? throw Missing(at, "beat"), s.Shooter ?? throw Missing(at, "shooter"), s.Target ?? throw Missing(at, "target"),
            s.Damage ?? throw Missing(at, "damage"), s.TargetHealth ?? throw Missing(at, "targetHealth"))),
        Items(Events, "events", (e, at) => new GameEvent(e.Beat ?? throw Missing(at, "beat"), e.Kind ?? throw Missing(at, "kind"), e.Cowboy ?? throw Missing(at, "cowboy"))),
        Items(Faults, "faults", (f, at) => new Fault(f.Beat ?? throw Missing(at, "beat"), f.Cowboy ?? throw Missing(at, "cowboy"), f.LeaderHost ?? throw Missing(at, "leaderHost"), f.Kind ?? Fault.Kill)));

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    private static JsonException Missing(string at, string name) => new($"{at}.{name} is missing");

    private static ImmutableArray<T> Items<TWire, T>(TWire?[]? items, string name, Func<TWire, string, T> read) where TWire : class
    {
        if (items is null) throw Missing("result", name);
        return [.. items.Select((item, i) => read(item ?? throw new JsonException($"result.{name}[{i}] must be a JSON object, got Null"), $"result.{name}[{i}]"))];
    }
}

internal sealed record CowboyWire(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("health")] int? Health,
    [property: JsonPropertyName("damage")] int? Damage);

internal sealed record ShotWire(
    [property: JsonPropertyName("beat")] int? Beat,
    [property: JsonPropertyName("shooter")] string? Shooter,
    [property: JsonPropertyName("target")] string? Target,
    [property: JsonPropertyName("damage")] int? Damage,
    [property: JsonPropertyName("targetHealth")] int? TargetHealth);

internal sealed record EventWire(
    [property: JsonPropertyName("beat")] int? Beat,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("cowboy")] string? Cowboy);

/// <summary>A fault; one without a kind was written before pauses existed, and is a kill.</summary>
internal sealed record FaultWire(
    [property: JsonPropertyName("beat")] int? Beat,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("cowboy")] string? Cowboy,
    [property: JsonPropertyName("leaderHost")] bool? LeaderHost);
