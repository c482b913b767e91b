using System.Security.Cryptography;
using System.Text;

namespace Cowboys.Operator.Desired;

/// <summary>
/// Kubernetes names from user-chosen names. A DNS-1123 label is at most 63 characters of [a-z0-9-],
/// starting and ending with an alphanumeric. When anything had to change (case, characters, length)
/// a short hash of the original is appended, so "John" and "john" never collide.
/// </summary>
public static class Names
{
    public const int MaxLabel = 63;
    private const int HashLength = 5;

    public static string Dns1123Label(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var safe = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            safe.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' ? c : c is >= 'A' and <= 'Z' ? char.ToLowerInvariant(c) : '-');
        }
        var candidate = safe.ToString().Trim('-');
        if (candidate == raw && candidate.Length is > 0 and <= MaxLabel) return candidate;

        var hash = Hash(raw);
        var room = MaxLabel - HashLength - 1;
        var stem = candidate.Length > room ? candidate[..room].TrimEnd('-') : candidate;
        return stem.Length == 0 ? $"x-{hash}" : $"{stem}-{hash}";
    }

    /// <summary>True when a name is already a DNS-1123 label.</summary>
    public static bool IsDns1123Label(string name) =>
        name.Length is > 0 and <= MaxLabel
        && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')
        && name[0] != '-' && name[^1] != '-';

    /// <summary>An object of a Shootout, e.g. "full-roster"; the Shootout's own name may be up to 253 characters.</summary>
    public static string Of(string shootout, string suffix) => Dns1123Label($"{shootout}-{suffix}");

    /// <summary>The Job (and pod hostname) of one cowboy: "full-" and the cowboy's name made safe.</summary>
    public static string CowboyJob(string shootout, string cowboy) => Dns1123Label($"{shootout}-{cowboy}");

    public static string Roster(string shootout) => Of(shootout, "roster");

    /// <summary>The Lease that breaks ties of an even roster.</summary>
    public static string TieBreak(string shootout) => Of(shootout, "tiebreak");

    /// <summary>Service, ServiceAccount, Role and RoleBinding share this name.</summary>
    public static string Cowboys(string shootout) => Of(shootout, "cowboys");

    private static string Hash(string raw)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(raw));
        return Convert.ToHexStringLower(bytes)[..HashLength];
    }
}

/// <summary>Labels and annotations the operator puts on everything it creates, and selects by.</summary>
public static class Labels
{
    public const string Shootout = "example.com/shootout";
    public const string Cowboy = "example.com/cowboy";
    public const string CowboyName = "example.com/cowboy-name";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Name = "app.kubernetes.io/name";
    public const string Operator = "cowboys-operator";

    /// <summary>Selects every object and pod any Shootout owns: what the operator watches.</summary>
    public const string ManagedSelector = ManagedBy + "=" + Operator;

    public static string ShootoutSelector(string shootout) => $"{Shootout}={shootout}";

    public static Dictionary<string, string> For(string shootout) => new()
    {
        [Name] = "cowboys",
        [ManagedBy] = Operator,
        [Shootout] = shootout,
    };
}
