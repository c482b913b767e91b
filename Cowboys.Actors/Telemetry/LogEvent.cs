using System.Text.RegularExpressions;

namespace Cowboys.Actors.Telemetry;

/// <summary>
/// One kind of event this program logs: its own id and name (a JSON log line's EventId) and a
/// message template whose holes name the fields ({Beat}, {Cowboy}, ...), so a pod's JSON lines
/// carry them by name. Declared once in <see cref="LogEvents"/>.
/// </summary>
public sealed partial record LogEvent(int Id, string Name, string Template)
{
    /// <summary>The template's field names, in order of first appearance.</summary>
    public IReadOnlyList<string> Fields => [.. Hole().Matches(Template).Select(m => m.Groups[1].Value).Distinct()];

    /// <summary>The message with the arguments in the holes, by order of each name's first appearance (as Akka and MEL fill them).</summary>
    public string Format(params object?[] args)
    {
        var fields = Fields.ToList();
        return Hole().Replace(Template, m => fields.IndexOf(m.Groups[1].Value) is var i && i < args.Length ? Convert.ToString(args[i], System.Globalization.CultureInfo.InvariantCulture) ?? "" : m.Value);
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?::[^}]*)?\}")]
    private static partial Regex Hole();
}
