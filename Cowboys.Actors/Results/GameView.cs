using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;

using Cowboys.Actors.Rules;
using Cowboys.Actors.Settings;

namespace Cowboys.Actors.Results;

/// <summary>
/// What a cowboy's `GET /game` shows: his replica of the committed game. The operator reads it
/// while a Shootout runs, for status.beat, status.alive and an event per death.
/// <code>{"beat":n,"alive":n,"cowboys":n,"deaths":[{"cowboy":s,"beat":n,"how":"shot"|"forfeit"}],"winner":s|null,"over":bool}</code>
/// <c>over</c> is true once the game has a result (winner null: a draw) or was aborted (winner null).
/// </summary>
public sealed record GameView(int Beat, int Alive, int Cowboys, ImmutableArray<Death> Deaths, string? Winner, bool Over)
{
    /// <summary>The view of a replica: the result once the game is over, else the last committed beat's view (null: none yet).</summary>
    public static GameView Of(GameSettings game, GameView? committed, GameResult? result, bool aborted)
    {
        ArgumentNullException.ThrowIfNull(game);
        if (result is not null)
        {
            return new GameView(result.Beats, result.Cowboys.Count(c => c.Health > 0), result.Cowboys.Length,
                ResultSummary.DeathsOf(result), result.Winner, true);
        }
        var view = committed ?? new GameView(0, game.Roster.Count, game.Roster.Count, ImmutableArray<Death>.Empty, null, false);
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
            return new GameView(root.GetProperty("beat").GetInt32(), root.GetProperty("alive").GetInt32(), root.GetProperty("cowboys").GetInt32(),
                deaths, winner.ValueKind == JsonValueKind.String ? winner.GetString() : null, root.GetProperty("over").GetBoolean());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or NullReferenceException)
        {
            return null;
        }
    }
}
