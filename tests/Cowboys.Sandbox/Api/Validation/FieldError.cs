using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Api.Validation;

/// <summary>
/// One invalid field, as apimachinery's field.Error renders it:
/// <c>metadata.name: Invalid value: "x": detail</c>.
/// </summary>
/// <param name="Reason">The Status cause reason: FieldValueInvalid, FieldValueRequired, FieldValueTooLong, FieldValueForbidden.</param>
public sealed record FieldError(string Field, string Reason, string Detail)
{
    public static FieldError Invalid(string field, string value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: \"{value}\": {detail}");

    /// <summary>An invalid value that is not a string: rendered as JSON (the real server prints the Go value).</summary>
    public static FieldError Invalid(string field, JsonNode? value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {value?.ToJsonString() ?? "null"}: {detail}");

    public static FieldError Required(string field, string detail) => new(field, "FieldValueRequired", $"Required value: {detail}");

    public static FieldError TooLong(string field, int max) => new(field, "FieldValueTooLong", $"Too long: must have at most {max} bytes");

    public static FieldError Immutable(string field, JsonNode? value) => Invalid(field, value, "field is immutable");

    public override string ToString() => $"{Field}: {Detail}";

    /// <summary>The errors as the server joins them in a Status message: one bare, several in brackets.</summary>
    public static string Join(IReadOnlyList<FieldError> errors) =>
        errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
}
