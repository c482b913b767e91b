using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Cowboys.Tests.Manifests;

/// <summary>
/// Just enough of the API server's validation of a custom resource against a CRD's structural
/// OpenAPI v3 schema to check manifests without a cluster: type, properties, required, enum,
/// pattern, minLength, maxLength, format (int32, int64, date-time), items and map lists. As with
/// kubectl's strict field validation, a field the schema does not declare is an error, and a
/// null is treated as absent (the API server prunes nulls of non-nullable fields). CEL rules are
/// not evaluated (<c>self == oldSelf</c> applies only to updates). A schema keyword the validator
/// does not know throws, so that a CRD change can never be accepted silently.
/// </summary>
internal static class StructuralSchema
{
    private static readonly HashSet<string> Known =
    [
        "type", "properties", "required", "enum", "pattern", "minLength", "maxLength", "format", "items", "description",
        "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
    ];

    /// <summary>Every problem with the value, as "path: what is wrong"; empty when the schema accepts it.</summary>
    public static List<string> Validate(Dictionary<string, object?> schema, object? value)
    {
        var errors = new List<string>();
        Check(schema, value, "", errors);
        return errors;
    }

    private static void Check(Dictionary<string, object?> schema, object? value, string path, List<string> errors)
    {
        var unknown = schema.Keys.Where(k => !Known.Contains(k)).ToList();
        if (unknown.Count > 0) throw new NotSupportedException($"schema at {Shown(path)} uses {string.Join(", ", unknown)}, which this validator does not check");

        var where = Shown(path);
        var type = schema.Str("type") ?? throw new NotSupportedException($"schema at {where} has no type (a structural schema must)");
        if (!HasType(value, type))
        {
            errors.Add($"{where}: expected {type}, got {Describe(value)}");
            return;
        }

        if (schema.At("enum") is List<object?> allowed && !allowed.Any(a => Equals(a, value)))
        {
            errors.Add($"{where}: {Describe(value)} is not one of [{string.Join(", ", allowed)}]");
        }

        switch (value)
        {
            case string text:
                var length = text.EnumerateRunes().Count();
                if (schema.At("minLength") is long min && length < min) errors.Add($"{where}: shorter than {min} characters");
                if (schema.At("maxLength") is long max && length > max) errors.Add($"{where}: longer than {max} characters");
                if (schema.Str("pattern") is { } pattern && !Regex.IsMatch(text, pattern)) errors.Add($"{where}: \"{text}\" does not match {pattern}");
                break;
            case Dictionary<string, object?> map:
                var properties = schema.At("properties") as Dictionary<string, object?>;
                foreach (var name in schema.Strings("required"))
                {
                    if (!map.TryGetValue(name, out var field) || field is null) errors.Add($"{Join(path, name)}: required");
                }
                if (properties is null) break; // an object without properties (metadata) takes anything
                foreach (var (name, field) in map)
                {
                    if (field is null) continue;
                    if (properties.At(name) is Dictionary<string, object?> fieldSchema) Check(fieldSchema, field, Join(path, name), errors);
                    else errors.Add($"{Join(path, name)}: unknown field");
                }
                break;
            case List<object?> list:
                var items = schema.Map("items");
                for (var i = 0; i < list.Count; i++) Check(items, list[i], $"{path}[{i}]", errors);
                if (schema.Str("x-kubernetes-list-type") == "map")
                {
                    var keys = schema.Strings("x-kubernetes-list-map-keys").ToList();
                    var seen = new HashSet<string>();
                    foreach (var item in list)
                    {
                        var key = string.Join("\u0000", keys.Select(k => item.At(k)?.ToString()));
                        if (!seen.Add(key)) errors.Add($"{where}: duplicate entries for key ({string.Join(", ", keys.Select(k => $"{k}={item.At(k)}"))})");
                    }
                }
                break;
        }

        if (schema.Str("format") is { } format) CheckFormat(format, value, where, errors);
    }

    private static void CheckFormat(string format, object? value, string where, List<string> errors)
    {
        switch (format, value)
        {
            case ("int64", long):
                break;
            case ("int64", BigInteger big):
                errors.Add($"{where}: {big} does not fit in a 64-bit integer");
                break;
            case ("int32", long n):
                if (n is < int.MinValue or > int.MaxValue) errors.Add($"{where}: {n} does not fit in a 32-bit integer");
                break;
            case ("int32", BigInteger big):
                errors.Add($"{where}: {big} does not fit in a 32-bit integer");
                break;
            case ("date-time", string text):
                if (!DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    errors.Add($"{where}: \"{text}\" is not an RFC 3339 date-time");
                }
                break;
            default:
                throw new NotSupportedException($"format {format} on {Describe(value)} at {where} is not checked by this validator");
        }
    }

    private static bool HasType(object? value, string type) => type switch
    {
        "object" => value is Dictionary<string, object?>,
        "array" => value is List<object?>,
        "string" => value is string,
        "integer" => value is long or BigInteger,
        "number" => value is long or BigInteger or double,
        "boolean" => value is bool,
        _ => throw new NotSupportedException($"type {type} is not a structural schema type"),
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"string \"{s}\"",
        long or BigInteger => $"integer {value}",
        double d => $"number {d.ToString(CultureInfo.InvariantCulture)}",
        bool b => $"boolean {(b ? "true" : "false")}",
        Dictionary<string, object?> => "an object",
        List<object?> => "an array",
        _ => value.GetType().Name,
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Shown(string path) => path.Length == 0 ? "(root)" : path;
}
