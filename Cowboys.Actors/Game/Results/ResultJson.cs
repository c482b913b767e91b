using System.Text.Json;

namespace Cowboys.Actors.Game.Results;

/// <summary>
/// The JSON form of a <see cref="GameResult"/> (what <c>play --result</c> writes and the checks read):
/// <code>
/// { "shootout": string|null, "rules": "sequential"|"simultaneous", "seed": number, "winner": string|null,
///   "beats": int, "cowboys": [{name, health, damage}], "shots": [{beat, shooter, target, damage, targetHealth}],
///   "events": [{beat, kind, cowboy}], "faults": [{beat, kind, cowboy, leaderHost}] }
/// </code>
/// Its wire types name every property, so that the contract cannot drift with a renamed one.
/// </summary>
public static class ResultJson
{
    public static string Write(GameResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return JsonSerializer.Serialize(ResultWire.Of(r), ResultJsonContext.Indented.ResultWire);
    }

    /// <summary>Reads a result; throws <see cref="JsonException"/> naming the property when the JSON breaks the contract.</summary>
    public static GameResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ResultWire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(json, ResultJsonContext.Indented.ResultWire);
        }
        catch (JsonException e) when (e.Path is { } path)
        {
            throw new JsonException($"result{path[1..]} cannot be read: {e.Message}", e);
        }
        return wire?.ToResult() ?? throw new JsonException("result must be a JSON object, got Null");
    }
}
