using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;

using Cowboys.Actors.Rules;
using Cowboys.Actors.Settings;

namespace Cowboys.Actors.Results;

/// <summary>
/// What a cowboy's `GET /game` shows: his replica of the committed game. The operator reads it
/// while a Shootout runs, for status.beat, status.alive and an event per death.
/// <code>{"beat":n,"alive":n,"cowboys":n,"deaths":[{"cowboy":s,"beat":n,"how":"shot"|"forfeit"}],"winner":s|null,"over":bool,
///   "health":[n, in roster order],"shots":[{"shooter":s,"target":s,"damage":n,"targetHealth":n}, of beat "beat"],"leader":s|null}</code>
/// <c>over</c> is true once the game has a result (winner null: a draw) or was aborted (winner null).
/// `play`'s live view draws <c>health</c> and <c>shots</c>.
/// <c>leader</c>: the cowboy whose process hosts the leader that committed beat "beat" (null: not known, or the result).
/// </summary>
public sealed record GameView(int Beat, int Alive, int Cowboys, ImmutableArray<Death> Deaths, string? Winner, bool Over)
{
    /// <summary>Every cowboy's health after <see cref="Beat"/>, in roster order (empty: not known).</summary>
    public ImmutableArray<int> Health { get; init; } = [];

    /// <summary>The shots of beat <see cref="Beat"/>, in the order they were applied.</summary>
    public ImmutableArray<Shot> Shots { get; init; } = [];

    /// <summary>The cowboy whose process hosts the leader that committed <see cref="Beat"/> (null: not known).</summary>
    public string? Leader { get; init; }

    /// <summary>The view of a replica: the result once the game is over, else the last committed beat's view (null: none yet).</summary>
    public static GameView Of(GameSettings game, GameView? committed, GameResult? result, bool aborted)
    {
        ArgumentNullException.ThrowIfNull(game);
        if (result is not null)
        {
            return new GameView(result.Beats, result.Cowboys.Count(c => c.Health > 0), result.Cowboys.Length,
                ResultSummary.DeathsOf(result), result.Winner, true)
            {
                Health = [.. result.Cowboys.Select(c => c.Health)],
                Shots = [.. result.Shots.Where(s => s.Beat == result.Beats)],
            };
        }
        var view = committed ?? Protocol.CommittedView.Initial(game.Roster);
        return view with { Over = aborted };
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("beat", Beat);
            w.WriteNumber("alive", Alive);
            w.WriteNumber("cowboys", Cowboys);
            Death.WriteAll(w, Deaths);
            w.WriteString("winner", Winner);
            w.WriteBoolean("over", Over);
            w.WriteStartArray("health");
            foreach (var h in Health) w.WriteNumberValue(h);
            w.WriteEndArray();
            w.WriteStartArray("shots");
            foreach (var shot in Shots)
            {
                w.WriteStartObject();
                w.WriteString("shooter", shot.Shooter);
                w.WriteString("target", shot.Target);
                w.WriteNumber("damage", shot.Damage);
                w.WriteNumber("targetHealth", shot.TargetHealth);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("leader", Leader);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a view back; null when the text is not one.</summary>
    public static GameView? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var deaths = Death.ReadAll(root);
            var winner = root.GetProperty("winner");
            var beat = root.GetProperty("beat").GetInt32();
            // health and shots came later: a view without them still reads
            var health = root.TryGetProperty("health", out var h) ? h.EnumerateArray().Select(x => x.GetInt32()).ToImmutableArray() : [];
            var shots = root.TryGetProperty("shots", out var s)
                ? s.EnumerateArray().Select(x => new Shot(beat, x.GetProperty("shooter").GetString()!, x.GetProperty("target").GetString()!,
                    x.GetProperty("damage").GetInt32(), x.GetProperty("targetHealth").GetInt32())).ToImmutableArray()
                : [];
            return new GameView(beat, root.GetProperty("alive").GetInt32(), root.GetProperty("cowboys").GetInt32(),
                deaths, winner.ValueKind == JsonValueKind.String ? winner.GetString() : null, root.GetProperty("over").GetBoolean())
            {
                Health = health,
                Shots = shots,
                // came later still: optional too
                Leader = root.TryGetProperty("leader", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or NullReferenceException)
        {
            return null;
        }
    }
}
