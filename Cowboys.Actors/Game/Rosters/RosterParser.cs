using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cowboys.Actors.Game.Rosters;

/// <summary>
/// Reads a roster from a plain JSON array of cowboys or from a Kubernetes <c>Shootout</c> manifest
/// (whose <c>spec.cowboys</c> is a JSON string holding that array). Every problem is reported as an
/// <see cref="InvalidRosterException"/> with one line that names the cowboy and what is wrong.
/// </summary>
public static class RosterParser
{
    public const int MaxCowboys = 1000;
    public const int MaxValue = 1_000_000_000;

    public const string ApiVersion = "example.com/v1alpha1";
    public const string Kind = "Shootout";

    private static readonly string[] Fields = ["name", "health", "damage"];
    private static readonly string ExpectedFields = "expected exactly \"name\", \"health\", \"damage\"";

    public static Roster ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            throw new InvalidRosterException($"cannot read roster file \"{path}\": {OneLine(e.Message)}");
        }

        try
        {
            return Parse(text);
        }
        catch (InvalidRosterException e)
        {
            throw new InvalidRosterException($"{path}: {e.Message}");
        }
    }

    public static Roster Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.Length == 0) throw new InvalidRosterException("the roster is empty: expected a JSON array of cowboys or a Shootout manifest");

        // A JSON array is also YAML, but the JSON parser gives the better error positions.
        return trimmed[0] == '['
            ? new Roster(null, ParseCowboys(trimmed, where: "roster"))
            : ParseManifest(text);
    }

    /// <summary>A Shootout's spec.cowboys as the operator reads it from the API: the same checks and messages as a manifest given to play.</summary>
    public static Roster ParseSpecCowboys(string? shootoutName, string? cowboys)
    {
        if (cowboys is null) throw new InvalidRosterException("spec.cowboys is missing: it must be a string holding a JSON array of cowboys");
        return new Roster(shootoutName, ParseCowboys(cowboys, where: "spec.cowboys"));
    }

    private static Roster ParseManifest(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InvalidRosterException($"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {OneLine(InnermostMessage(e))}");
        }

        if (stream.Documents.Count != 1)
        {
            throw new InvalidRosterException($"expected one Shootout manifest, found {stream.Documents.Count} YAML documents");
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidRosterException($"expected a JSON array of cowboys or a Shootout manifest (a YAML mapping), got a YAML {Describe(stream.Documents[0].RootNode)}");
        }

        var kind = ScalarAt(root, "kind");
        if (kind is null) throw new InvalidRosterException($"kind is missing: expected a JSON array of cowboys or a {Kind} manifest");
        if (kind != Kind) throw new InvalidRosterException($"kind must be \"{Kind}\", got {Shown(kind)}");
        var apiVersion = ScalarAt(root, "apiVersion");
        if (apiVersion != ApiVersion) throw new InvalidRosterException($"apiVersion must be \"{ApiVersion}\", got {Shown(apiVersion)}");

        var name = Child(root, "metadata") is YamlMappingNode metadata ? ScalarAt(metadata, "name") : null;
        if (string.IsNullOrWhiteSpace(name)) throw new InvalidRosterException("metadata.name is missing: a Shootout must have a name");

        if (Child(root, "spec") is not YamlMappingNode spec) throw new InvalidRosterException("spec is missing: a Shootout must have spec.cowboys");
        var cowboys = Child(spec, "cowboys");
        if (cowboys is null) throw new InvalidRosterException("spec.cowboys is missing: it must be a string holding a JSON array of cowboys");
        if (cowboys is not YamlScalarNode scalar || !IsString(scalar))
        {
            throw new InvalidRosterException($"spec.cowboys must be a string holding a JSON array of cowboys, got a YAML {Describe(cowboys)}");
        }

        return new Roster(name, ParseCowboys(scalar.Value ?? "", where: "spec.cowboys"));
    }

    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    private static ImmutableArray<CowboySpec> ParseCowboys(string json, string where)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        JsonDocument document;
        try
        {
            // The count first, with a reader that builds nothing: a huge roster is refused before
            // any document is built or any cowboy looked at.
            var count = CountElements(utf8);
            if (count == 0) throw new InvalidRosterException($"{where}: there must be at least 1 cowboy, got an empty array");
            if (count > MaxCowboys) throw new InvalidRosterException($"{where}: at most {MaxCowboys} cowboys are allowed, got {count}");
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw new InvalidRosterException($"{where}: invalid JSON at line {line}, column {column}: {OneLine(StripPosition(e.Message))}");
        }

        using (document)
        {
            var array = document.RootElement;
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidRosterException($"{where}: expected a JSON array of cowboys, got {KindName(array.ValueKind)}");
            }
            var count = array.GetArrayLength();

            var cowboys = ImmutableArray.CreateBuilder<CowboySpec>(count);
            var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                index++;
                var cowboy = ParseCowboy(element, index);
                if (byName.TryGetValue(cowboy.Name, out var first))
                {
                    throw new InvalidRosterException(
                        $"cowboy #{index} {Quote(cowboy.Name)}: name is already used by cowboy #{first} {Quote(cowboys[first - 1].Name)} (names must be unique, ignoring case)");
                }
                byName.Add(cowboy.Name, index);
                cowboys.Add(cowboy);
            }
            return cowboys.MoveToImmutable();
        }
    }

    /// <summary>The number of elements of a top-level array, or -1 when the JSON is not an array.</summary>
    private static int CountElements(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return -1;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }
        return count;
    }

    private static CowboySpec ParseCowboy(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRosterException($"cowboy #{index}: expected an object with \"name\", \"health\", \"damage\", got {KindName(element.ValueKind)}");
        }

        // The name first, so that every later message can say whose it is.
        string? name = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "name" && property.Value.ValueKind == JsonValueKind.String)
            {
                name = property.Value.GetString();
                break;
            }
        }
        var who = name is null ? $"cowboy #{index}" : $"cowboy #{index} {Quote(name)}";

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name)) throw new InvalidRosterException($"{who}: field {Quote(property.Name)} appears more than once");
            if (Array.IndexOf(Fields, property.Name) < 0) throw new InvalidRosterException($"{who}: unknown field {Quote(property.Name)}, {ExpectedFields}");
        }
        foreach (var field in Fields)
        {
            if (!seen.Contains(field)) throw new InvalidRosterException($"{who}: missing field \"{field}\", {ExpectedFields}");
        }

        var nameElement = element.GetProperty("name");
        if (nameElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidRosterException($"{who}: name must be a non-empty string, got {nameElement.GetRawText()}");
        }
        if (string.IsNullOrWhiteSpace(name)) throw new InvalidRosterException($"{who}: name must not be empty or only whitespace");
        // Names are written into one-line logs and the roster fingerprint (tab/newline separated).
        if (name.Any(char.IsControl)) throw new InvalidRosterException($"{who}: name must not contain control characters (tabs, newlines)");

        var health = WholeNumber(element.GetProperty("health"), who, "health");
        var damage = WholeNumber(element.GetProperty("damage"), who, "damage");
        return new CowboySpec(name, health, damage);
    }

    private static int WholeNumber(JsonElement value, string who, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number is >= 1 and <= MaxValue)
        {
            return (int)number;
        }
        throw new InvalidRosterException($"{who}: {field} must be a whole number from 1 to {MaxValue}, got {Truncate(value.GetRawText())}");
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? ScalarAt(YamlMappingNode mapping, string key) => Child(mapping, key) is YamlScalarNode s ? s.Value : null;

    /// <summary>A plain scalar that YAML would read as null, a boolean or a number is not a string.</summary>
    private static bool IsString(YamlScalarNode scalar)
    {
        if (scalar.Style != ScalarStyle.Plain) return true;
        var value = scalar.Value ?? "";
        if (value is "" or "~" || value.Equals("null", StringComparison.OrdinalIgnoreCase)) return false;
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        return !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "sequence",
        YamlScalarNode s => $"scalar {Truncate(s.Value ?? "null")}",
        _ => node.NodeType.ToString().ToLowerInvariant(),
    };

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Shown(string? value) => value is null ? "nothing" : Quote(value);

    /// <summary>Quotes a name for a one-line message, escaping what would break the line.</summary>
    internal static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in Truncate(text))
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    /// <summary>System.Text.Json appends its own "Path: ... | LineNumber: ..." tail; the position is reported once, in our words.</summary>
    private static string StripPosition(string message)
    {
        foreach (var tail in new[] { " Path: ", " LineNumber: " })
        {
            var at = message.IndexOf(tail, StringComparison.Ordinal);
            if (at >= 0) message = message[..at];
        }
        return message;
    }

    private static string InnermostMessage(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }
}
