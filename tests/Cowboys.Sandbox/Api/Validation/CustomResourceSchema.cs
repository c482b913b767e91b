using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cowboys.Sandbox.Api.Validation;

/// <summary>
/// A custom resource against its CRD version's structural schema, as the real server's validation
/// refuses it with 422 Invalid: type, required, enum, pattern, minLength and maxLength, minimum
/// and maximum, the date-time format, the unique keys of a list of type map, and the transition rule <c>self == oldSelf</c> of x-kubernetes-validations (the
/// only CEL rule the project's CRD has; other rules are not evaluated). A null member counts as
/// absent, as the server prunes it.
/// </summary>
public static class CustomResourceSchema
{
    public const string ImmutableRule = "self == oldSelf";

    public static List<FieldError> Errors(JsonObject obj, JsonObject? schema, JsonObject? old)
    {
        var errors = new List<FieldError>();
        if (schema is null) return errors;
        foreach (var required in Required(schema))
        {
            if (obj[required] is null) errors.Add(new FieldError(required, "FieldValueRequired", "Required value"));
        }
        foreach (var (key, child) in obj)
        {
            if (key is "apiVersion" or "kind" or "metadata" || child is null) continue;
            if (schema["properties"]?[key] is JsonObject property) Walk(child, property, key, old?[key], errors);
        }
        return errors;
    }

    private static void Walk(JsonNode node, JsonObject schema, string path, JsonNode? old, List<FieldError> errors)
    {
        var type = (string?)schema["type"];
        if (type is not null && TypeOf(node) is var actual && !Fits(actual, type))
        {
            errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {path} in body must be of type {type}: \"{actual}\""));
            return;
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var required in Required(schema))
                {
                    if (obj[required] is null) errors.Add(new FieldError($"{path}.{required}", "FieldValueRequired", "Required value"));
                }
                foreach (var (key, child) in obj)
                {
                    if (child is null) continue;
                    var childSchema = schema["properties"]?[key] as JsonObject ?? schema["additionalProperties"] as JsonObject;
                    if (childSchema is not null) Walk(child, childSchema, $"{path}.{key}", old?[key], errors);
                }
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } element) Walk(element, items, $"{path}[{i}]", null, errors);
                }
                if ((string?)schema["x-kubernetes-list-type"] == "map") DuplicateKeys(array, schema, path, errors);
                break;
            case JsonValue value:
                Scalar(value, schema, path, errors);
                break;
        }
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // a transition rule: checked on update only, when the old object has the field too
            if ((string?)rule["rule"] == ImmutableRule && old is not null && !JsonNode.DeepEquals(node, old))
            {
                errors.Add(new FieldError(path, "FieldValueInvalid", $"Invalid value: \"{TypeOf(node)}\": {(string?)rule["message"] ?? $"failed rule: {ImmutableRule}"}"));
            }
        }
    }

    private static void Scalar(JsonValue value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(new FieldError(path, "FieldValueNotSupported",
                $"Unsupported value: {value.ToJsonString()}: supported values: {string.Join(", ", allowed.Select(a => a!.ToJsonString()))}"));
        }
        if (value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (schema["minLength"] is JsonValue min && text.Length < min.GetValue<int>())
                errors.Add(FieldError.Invalid(path, text, $"{path} in body should be at least {min.GetValue<int>()} chars long"));
            if (schema["maxLength"] is JsonValue max && text.Length > max.GetValue<int>())
                errors.Add(new FieldError(path, "FieldValueTooLong", $"Too long: may not be more than {max.GetValue<int>()} bytes"));
            if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                errors.Add(FieldError.Invalid(path, text, $"{path} in body should match '{pattern}'"));
            if ((string?)schema["format"] == "date-time" && !DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                errors.Add(FieldError.Invalid(path, text, $"{path} in body must be of type date-time: \"{text}\""));
        }
        else if (value.GetValueKind() == JsonValueKind.Number)
        {
            var number = double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
            if (schema["minimum"] is JsonValue min && number < double.Parse(min.ToJsonString(), CultureInfo.InvariantCulture))
                errors.Add(FieldError.Invalid(path, value, $"{path} in body should be greater than or equal to {min.ToJsonString()}"));
            if (schema["maximum"] is JsonValue max && number > double.Parse(max.ToJsonString(), CultureInfo.InvariantCulture))
                errors.Add(FieldError.Invalid(path, value, $"{path} in body should be less than or equal to {max.ToJsonString()}"));
        }
    }

    /// <summary>RFC 3339, with or without fractional seconds, as the server's date-time format accepts it.</summary>
    private static readonly string[] DateTimeFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>A list of x-kubernetes-list-type map holds each key (the x-kubernetes-list-map-keys' values) once.</summary>
    private static void DuplicateKeys(JsonArray array, JsonObject schema, string path, List<FieldError> errors)
    {
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(k => (string?)k).OfType<string>().ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject element) continue;
            var key = new JsonObject(keys.Select(k => KeyValuePair.Create(k, element[k]?.DeepClone()))).ToJsonString();
            if (!seen.Add(key)) errors.Add(new FieldError($"{path}[{i}]", "FieldValueDuplicate", $"Duplicate value: {key}"));
        }
    }

    private static IEnumerable<string> Required(JsonObject schema) =>
        (schema["required"] as JsonArray ?? []).Select(r => (string?)r).OfType<string>();

    private static string TypeOf(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => v.ToJsonString().Contains('.') || v.ToJsonString().Contains('e') || v.ToJsonString().Contains('E') ? "number" : "integer",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };

    private static bool Fits(string actual, string type) => actual == type || (type == "number" && actual == "integer");
}
