using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cowboys.Host.Launcher;

/// <summary>
/// The leader's host logs every commit: that tells `play` the beat and who hosts the leader
/// (for --chaos and the live view). Read from a text line or from a JSON line's fields.
/// </summary>
public static partial class CommitLine
{
    /// <summary>The committed beat this line reports, or null when it reports none.</summary>
    public static int? Beat(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith('{'))
        {
            var m = TextPattern().Match(line);
            return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        }
        if (!line.Contains("committed", StringComparison.Ordinal)) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("State", out var state)
                   && state.TryGetProperty("{OriginalFormat}", out var format) && format.GetString()?.StartsWith("beat {Beat} committed:", StringComparison.Ordinal) == true
                   && state.TryGetProperty("Beat", out var beat) && beat.TryGetInt32(out var n)
                ? n
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"INFO  beat (\d+) committed:")]
    private static partial Regex TextPattern();
}
