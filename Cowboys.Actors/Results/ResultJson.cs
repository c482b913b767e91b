using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cowboys.Actors.Rosters;

using Cowboys.Actors.Rules;

namespace Cowboys.Actors.Results;

/// <summary>
/// The JSON form of a <see cref="GameResult"/> (what <c>play --result</c> writes and the checks read):
/// <code>
/// { "shootout": string|null, "rules": "sequential"|"simultaneous", "seed": number, "winner": string|null,
///   "beats": int, "cowboys": [{name, health, damage}], "shots": [{beat, shooter, target, damage, targetHealth}],
///   "events": [{beat, kind, cowboy}], "faults": [{beat, kind, cowboy, leaderHost}] }
/// </code>
/// Written by hand rather than by reflection so that the contract cannot drift with a renamed property.
/// </summary>
public static class ResultJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Names stay readable (no \uXXXX for non-ASCII); still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(GameResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("shootout", r.Shootout);
            w.WriteString("rules", r.Rules.ToWire());
            w.WriteNumber("seed", r.Seed);
            w.WriteString("winner", r.Winner);
            w.WriteNumber("beats", r.Beats);

            w.WriteStartArray("cowboys");
            foreach (var c in OrEmpty(r.Cowboys))
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteNumber("health", c.Health);
                w.WriteNumber("damage", c.Damage);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("shots");
            foreach (var s in OrEmpty(r.Shots))
            {
                w.WriteStartObject();
                w.WriteNumber("beat", s.Beat);
                w.WriteString("shooter", s.Shooter);
                w.WriteString("target", s.Target);
                w.WriteNumber("damage", s.Damage);
                w.WriteNumber("targetHealth", s.TargetHealth);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("events");
            foreach (var e in OrEmpty(r.Events))
            {
                w.WriteStartObject();
                w.WriteNumber("beat", e.Beat);
                w.WriteString("kind", e.Kind);
                w.WriteString("cowboy", e.Cowboy);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("faults");
            foreach (var f in OrEmpty(r.Faults))
            {
                w.WriteStartObject();
                w.WriteNumber("beat", f.Beat);
                w.WriteString("kind", f.Kind);
                w.WriteString("cowboy", f.Cowboy);
                w.WriteBoolean("leaderHost", f.LeaderHost);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a result; throws <see cref="JsonException"/> naming the property when the JSON breaks the contract.</summary>
    public static GameResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = Object(document.RootElement, "result");

        var rulesText = String(root, "rules", "result");
        RuleSet rules = rulesText switch
        {
            "sequential" => RuleSet.Sequential,
            "simultaneous" => RuleSet.Simultaneous,
            _ => throw new JsonException($"result.rules must be \"sequential\" or \"simultaneous\", got \"{rulesText}\""),
        };

        return new GameResult(
            NullableString(root, "shootout", "result"),
            rules,
            Required(root, "seed", "result", JsonValueKind.Number).TryGetInt64(out var seed) ? seed : throw new JsonException("result.seed must be a whole number"),
            NullableString(root, "winner", "result"),
            Int(root, "beats", "result"),
            Array(root, "cowboys", (e, at) => new CowboySpec(String(e, "name", at), Int(e, "health", at), Int(e, "damage", at))),
            Array(root, "shots", (e, at) => new Shot(Int(e, "beat", at), String(e, "shooter", at), String(e, "target", at), Int(e, "damage", at), Int(e, "targetHealth", at))),
            Array(root, "events", (e, at) => new GameEvent(Int(e, "beat", at), String(e, "kind", at), String(e, "cowboy", at))),
            Array(root, "faults", (e, at) => new Fault(Int(e, "beat", at), String(e, "cowboy", at), Bool(e, "leaderHost", at),
                e.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString()! : Fault.Kill)));
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? ImmutableArray<T>.Empty : items;

    private static JsonElement Object(JsonElement e, string at) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new JsonException($"{at} must be a JSON object, got {e.ValueKind}");

    private static JsonElement Required(JsonElement obj, string name, string at, params JsonValueKind[] kinds)
    {
        if (!obj.TryGetProperty(name, out var value)) throw new JsonException($"{at}.{name} is missing");
        if (System.Array.IndexOf(kinds, value.ValueKind) < 0) throw new JsonException($"{at}.{name} must be {string.Join(" or ", kinds)}, got {value.ValueKind}");
        return value;
    }

    private static string String(JsonElement obj, string name, string at) => Required(obj, name, at, JsonValueKind.String).GetString()!;

    private static string? NullableString(JsonElement obj, string name, string at) =>
        Required(obj, name, at, JsonValueKind.String, JsonValueKind.Null) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static int Int(JsonElement obj, string name, string at) =>
        Required(obj, name, at, JsonValueKind.Number).TryGetInt32(out var value) ? value : throw new JsonException($"{at}.{name} must be a whole number");

    private static bool Bool(JsonElement obj, string name, string at) => Required(obj, name, at, JsonValueKind.True, JsonValueKind.False).GetBoolean();

    private static ImmutableArray<T> Array<T>(JsonElement root, string name, Func<JsonElement, string, T> read)
    {
        var array = Required(root, name, "result", JsonValueKind.Array);
        var builder = ImmutableArray.CreateBuilder<T>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"result.{name}[{i++}]";
            builder.Add(read(Object(item, at), at));
        }
        return builder.MoveToImmutable();
    }
}
