using Cowboys.Actors.Game.Rosters;

namespace Cowboys.Tests.EndToEnd;

/// <summary>
/// Five cowboys for whom every shot hurts (health 12, damage 3): a leader that committed beats on
/// his own could finish the game by himself, so a protocol that let him would show two winners.
/// </summary>
public static class BrittleRoster
{
    public const string Json = """
        [{"name":"Ann","health":12,"damage":3},{"name":"Ben","health":12,"damage":3},{"name":"Cat","health":12,"damage":3},
         {"name":"Dan","health":12,"damage":3},{"name":"Eve","health":12,"damage":3}]
        """;

    public static Roster Roster { get; } = RosterParser.Parse(Json) with { ShootoutName = "brittle" };

    /// <summary>Writes the roster to brittle.json in a directory and returns its path.</summary>
    public static async Task<string> WriteToAsync(string directory)
    {
        var file = Path.Combine(directory, "brittle.json");
        await File.WriteAllTextAsync(file, Json);
        return file;
    }
}
