using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cowboys.Sandbox.Api;

/// <summary>
/// A label selector as the API server parses it: comma means AND; <c>k=v</c>, <c>k==v</c>,
/// <c>k!=v</c> (also true when the label is absent), <c>k</c>, <c>!k</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _requirements = [];

    public static readonly LabelSelector Everything = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in SplitTopLevel(text))
        {
            var term = raw.Trim();
            Match m;
            if ((m = SetTerm().Match(term)).Success)
            {
                var key = m.Groups[1].Value;
                var values = m.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
                var negate = m.Groups[2].Value == "notin";
                selector._requirements.Add(labels => Label(labels, key) is { } v ? values.Contains(v) != negate : negate);
            }
            else if (term.StartsWith('!'))
            {
                var key = CheckKey(term[1..].Trim());
                selector._requirements.Add(labels => Label(labels, key) is null);
            }
            else if (term.Contains("!=", StringComparison.Ordinal))
            {
                var (key, value) = Split(term, "!=");
                selector._requirements.Add(labels => Label(labels, key) != value);
            }
            else if (term.Contains('='))
            {
                var (key, value) = Split(term, term.Contains("==", StringComparison.Ordinal) ? "==" : "=");
                selector._requirements.Add(labels => Label(labels, key) == value);
            }
            else
            {
                var key = CheckKey(term);
                selector._requirements.Add(labels => Label(labels, key) is not null);
            }
        }
        return selector;
    }

    public bool Matches(JsonObject obj) => _requirements.All(r => r(obj["metadata"]?["labels"] as JsonObject));

    private static string? Label(JsonObject? labels, string key) =>
        labels is not null && labels.TryGetPropertyValue(key, out var v) ? v?.ToString() : null;

    private static (string, string) Split(string term, string op)
    {
        var at = term.IndexOf(op, StringComparison.Ordinal);
        return (CheckKey(term[..at].Trim()), term[(at + op.Length)..].Trim());
    }

    private static string CheckKey(string key) =>
        KeyPattern().IsMatch(key) ? key : throw ApiError.BadRequest($"unable to parse requirement: invalid label key \"{key}\"");

    internal static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    [GeneratedRegex(@"^(\S+)\s+(in|notin)\s*\((.*)\)$")]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex KeyPattern();
}

/// <summary>
/// A field selector: <c>path=v</c>, <c>path==v</c>, <c>path!=v</c>, comma means AND. Only
/// metadata.name, metadata.namespace and the resource's own field labels are accepted, as on the
/// real server.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<Func<JsonObject, bool>> _requirements = [];

    public static readonly FieldSelector Everything = new();

    /// <summary>The name this selector pins (metadata.name=x), for error messages and fast paths.</summary>
    public string? Name { get; private set; }

    public static FieldSelector Parse(string? text, ResourceType rt)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var op = term.Contains("!=", StringComparison.Ordinal) ? "!=" : term.Contains("==", StringComparison.Ordinal) ? "==" : "=";
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw ApiError.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            }
            var path = term[..at].Trim();
            var value = term[(at + op.Length)..].Trim();
            if (path is not ("metadata.name" or "metadata.namespace") && !rt.FieldLabels.Contains(path))
            {
                throw ApiError.BadRequest($"field label not supported: {path}");
            }
            if (path == "metadata.name" && op != "!=")
            {
                selector.Name = value;
            }
            var negate = op == "!=";
            selector._requirements.Add(obj => (Lookup(obj, path) == value) != negate);
        }
        return selector;
    }

    public bool Matches(JsonObject obj) => _requirements.All(r => r(obj));

    private static string Lookup(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => node.ToString(),
        };
    }
}
