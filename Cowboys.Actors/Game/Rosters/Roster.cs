using System.Collections.Immutable;

namespace Cowboys.Actors.Game.Rosters;

/// <summary>A validated roster. Its order is the ring order of the game.</summary>
public sealed record Roster(string? ShootoutName, ImmutableArray<CowboySpec> Cowboys)
{
    public int Count => Cowboys.Length;

    /// <summary>Index of the cowboy with this exact name, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Cowboys.Length; i++)
        {
            if (Cowboys[i].Name == name) return i;
        }
        return -1;
    }

    public ImmutableArray<int> StartingHealth() => Cowboys.Select(c => c.Health).ToImmutableArray();

    /// <summary>A stable fingerprint, so that processes can check they all play the same roster.</summary>
    public string Fingerprint()
    {
        var text = string.Join('\n', Cowboys.Select(c => $"{c.Name}\t{c.Health}\t{c.Damage}"));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
    }
}
