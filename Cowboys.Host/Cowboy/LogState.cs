namespace Cowboys.Host.Cowboy;

/// <summary>
/// An Akka event's template and arguments as MEL state: each hole's name with its argument
/// ("{Beat}" by order of first appearance, "{0}" by number), and "{OriginalFormat}" as MEL's
/// own templates have it. The message is Akka's own formatting, so both formats read alike.
/// </summary>
public sealed partial class LogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _properties;

    private LogState(List<KeyValuePair<string, object?>> properties, string message)
    {
        _properties = properties;
        Message = message;
    }

    public string Message { get; }

    public int Count => _properties.Count;

    public KeyValuePair<string, object?> this[int index] => _properties[index];

    public static LogState Of(string template, object?[] args, string message)
    {
        var properties = new List<KeyValuePair<string, object?>>();
        var named = 0;
        foreach (System.Text.RegularExpressions.Match hole in Hole().Matches(template))
        {
            var name = hole.Groups[1].Value;
            if (properties.Any(p => p.Key == name)) continue;
            var index = int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : named++;
            properties.Add(new(name, index < args.Length ? args[index] : null));
        }
        properties.Add(new("{OriginalFormat}", template));
        return new LogState(properties, message);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;

    // a hole is {name} or {name:format} / {name,width}; {{ is an escaped brace
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\{)\{([A-Za-z0-9_]+)(?:[,:][^{}]*)?\}")]
    private static partial System.Text.RegularExpressions.Regex Hole();
}
