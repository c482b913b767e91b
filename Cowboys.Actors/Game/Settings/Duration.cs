using System.Globalization;
using System.Text.RegularExpressions;

namespace Cowboys.Actors.Game.Settings;

/// <summary>Durations as users write them on a command line and in a Shootout spec: 0, 250ms, 1s, 1.5s, 2m.</summary>
public static partial class Duration
{
    /// <summary>What a duration looks like, for the messages that refuse one.</summary>
    public const string Expected = "a duration such as 0, 250ms, 1s or 2m (at most 1h)";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var match = Pattern().Match(text.Trim());
        if (!match.Success) return false;
        var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["u"].Value;
        if (unit.Length == 0 && number != 0) return false; // a bare number is ambiguous unless it is 0
        value = unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" or "" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            _ => TimeSpan.Zero,
        };
        return value <= TimeSpan.FromHours(1);
    }

    public static string Format(TimeSpan value) =>
        value == TimeSpan.Zero ? "0"
        : value.TotalMilliseconds < 1000 || value.Milliseconds != 0 ? $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms"
        : $"{value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<u>ms|s|m)?$")]
    private static partial Regex Pattern();
}
