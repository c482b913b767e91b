using System.Security.Cryptography;
using System.Text;

namespace Cowboys.Operator.Desired;

/// <summary>
/// Kubernetes names from user-chosen names. Every name the operator makes is a DNS-1123 label (at
/// most 63 characters of [a-z0-9-], starting and ending with an alphanumeric): valid for every kind
/// it creates, and for a Job, whose name the API server copies into the label job-name (so at most
/// 63 characters, kubernetes/kubernetes#50850). When anything had to change (case, characters,
/// length) a hash of the original is appended, so "John" and "john" never collide.
/// </summary>
public static class Names
{
    public const int MaxLabel = 63;
    public const int HashLength = 8;

    public static string Dns1123Label(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var candidate = Sanitize(raw);
        return candidate == raw && candidate.Length is > 0 and <= MaxLabel ? candidate : Hashed(candidate, raw);
    }

    /// <summary>True when a name is already a DNS-1123 label.</summary>
    public static bool IsDns1123Label(string name) =>
        name.Length is > 0 and <= MaxLabel
        && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')
        && name[0] != '-' && name[^1] != '-';

    /// <summary>
    /// An object of a Shootout, e.g. "full-roster". The suffix is a fixed word that is not a hash,
    /// so a name kept as it is ("x-roster") never equals a hashed one (which ends in hex digits).
    /// </summary>
    public static string Of(string shootout, string suffix) => Dns1123Label($"{shootout}-{suffix}");

    /// <summary>
    /// The Job of one cowboy: "full-" and the cowboy's name, kept as it is only when that is
    /// unambiguous (the cowboy's name has no '-', so "a" + "b-c" and "a-b" + "c" cannot meet, and is
    /// not itself hash-shaped); otherwise stem and a hash of both names.
    /// </summary>
    public static string CowboyJob(string shootout, string cowboy)
    {
        var plain = $"{shootout}-{cowboy}";
        var unambiguous = IsDns1123Label(shootout) && cowboy.Length > 0
            && cowboy.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9')
            && !(cowboy.Length == HashLength && cowboy.All(char.IsAsciiHexDigitLower));
        return unambiguous && plain.Length <= MaxLabel ? plain : Hashed(Sanitize(plain), $"{shootout}\n{cowboy}");
    }

    public static string Roster(string shootout) => Of(shootout, "roster");

    /// <summary>The Lease that breaks ties of an even roster.</summary>
    public static string TieBreak(string shootout) => Of(shootout, "tiebreak");

    /// <summary>ServiceAccount, Role and RoleBinding share this name.</summary>
    public static string Cowboys(string shootout) => Of(shootout, "cowboys");

    /// <summary>
    /// A label value (at most 63 of [A-Za-z0-9._-], alphanumeric at both ends) that stands for
    /// <paramref name="raw"/>: itself when it is one (every Shootout name up to 63 characters is),
    /// otherwise a stem and a hash. Selectors use it; the full name travels in an annotation.
    /// </summary>
    public static string LabelValue(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (IsLabelValue(raw)) return raw;
        var safe = new string(raw.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).Trim('-', '_', '.');
        var room = MaxLabel - HashLength - 1;
        var stem = safe.Length > room ? safe[..room].TrimEnd('-', '_', '.') : safe;
        return stem.Length == 0 ? $"x-{Hash(raw)}" : $"{stem}-{Hash(raw)}";
    }

    public static bool IsLabelValue(string value) =>
        value.Length == 0
        || (value.Length <= MaxLabel
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1]));

    private static string Sanitize(string raw)
    {
        var safe = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            safe.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' ? c : c is >= 'A' and <= 'Z' ? char.ToLowerInvariant(c) : '-');
        }
        return safe.ToString().Trim('-');
    }

    private static string Hashed(string candidate, string hashOf)
    {
        var hash = Hash(hashOf);
        var room = MaxLabel - HashLength - 1;
        var stem = candidate.Length > room ? candidate[..room].TrimEnd('-') : candidate;
        return stem.Length == 0 ? $"x-{hash}" : $"{stem}-{hash}";
    }

    private static string Hash(string raw)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(raw));
        return Convert.ToHexStringLower(bytes)[..HashLength];
    }
}
