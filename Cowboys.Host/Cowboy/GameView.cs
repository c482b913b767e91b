using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cowboys.Actors.Rosters;
using Cowboys.Actors.Rules;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// What `GET /game` shows: this cowboy's replica of the committed game.
/// <code>{"beat":n,"alive":n,"cowboys":n,"dead":[names, in the order they died],"winner":s|null,"over":bool}</code>
/// <c>over</c> is true once the game has a result (winner null: a draw) or was aborted (winner null).
/// </summary>
public sealed record GameView(int Beat, int Alive, int Cowboys, ImmutableArray<string> Dead, string? Winner, bool Over)
{
    /// <summary>The view of a replica: the result once the game is over, else the last committed snapshot (null: none yet).</summary>
    public static GameView Of(GameSettings game, GameSnapshot? committed, GameResult? result, bool aborted)
    {
        if (result is not null)
        {
            return new GameView(result.Beats, result.Cowboys.Count(c => c.Health > 0), result.Cowboys.Length,
                ResultSummary.DeathsOf(result).Select(d => d.Cowboy).ToImmutableArray(), result.Winner, true);
        }
        var snapshot = committed ?? GameSnapshot.Initial(game.Roster);
        var sofar = snapshot.ToResult(game.Roster, game.Rules, game.Seed);
        return new GameView(snapshot.Beat, snapshot.Health.Count(h => h > 0), game.Roster.Count,
            ResultSummary.DeathsOf(sofar).Select(d => d.Cowboy).ToImmutableArray(), null, aborted);
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
            w.WriteStartArray("dead");
            foreach (var name in Dead) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteString("winner", Winner);
            w.WriteBoolean("over", Over);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
