using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cowboys.Actors.Game.Results;

/// <summary>One cowboy's death: shot dead, or forfeited because he was away too long.</summary>
public sealed record Death(
    [property: JsonPropertyName("cowboy"), JsonRequired] string Cowboy,
    [property: JsonPropertyName("beat"), JsonRequired] int Beat,
    [property: JsonPropertyName("how"), JsonRequired] string How)
{
    public const string Shot = "shot";
    public const string Forfeit = "forfeit";

    /// <summary>
    /// The one rule of who dies: in a beat's shots, in the order they were fired, the first shot
    /// that leaves its target at 0. Under simultaneous rules several shots may hit a man in one
    /// beat; the later ones find him at 0 already (health does not go below 0) and kill nobody.
    /// </summary>
    public static IEnumerable<Rules.Shot> Kills(IEnumerable<Rules.Shot> shotsOfOneBeat)
    {
        var dead = new HashSet<string>(StringComparer.Ordinal);
        return shotsOfOneBeat.Where(s => s.TargetHealth <= 0 && dead.Add(s.Target));
    }

    /// <summary>The deaths of one beat, in the order they happen: its forfeits (at the start of the beat), then whoever its shots killed.</summary>
    public static IEnumerable<Death> InBeat(int beat, IEnumerable<Rules.GameEvent> events, IEnumerable<Rules.Shot> shots) =>
        events.Where(e => e.Beat == beat && e.Kind == Rules.GameEvent.Forfeit).Select(e => new Death(e.Cowboy, beat, Forfeit))
            .Concat(Kills(shots.Where(s => s.Beat == beat)).Select(s => new Death(s.Target, beat, Shot)));

    /// <summary>The "deaths" array as the termination message writes it (GET /game writes the same, through <see cref="GameView"/>).</summary>
    public static void WriteAll(Utf8JsonWriter w, ImmutableArray<Death> deaths)
    {
        w.WritePropertyName("deaths");
        JsonSerializer.Serialize(w, deaths, ResultJsonContext.Compact.ImmutableArrayDeath);
    }

    public static ImmutableArray<Death> ReadAll(JsonElement parent)
    {
        var deaths = parent.GetProperty("deaths").Deserialize(ResultJsonContext.Compact.ImmutableArrayDeath);
        return deaths.Any(d => d is null) ? throw new JsonException("deaths must hold objects, not null") : deaths;
    }
}
