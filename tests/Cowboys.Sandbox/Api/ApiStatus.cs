using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Api;

/// <summary>A failure the fake API server answers with a meta/v1 Status, shaped like the real server's.</summary>
public sealed class ApiError(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject ToStatus() => ApiStatus.Failure(Code, Reason, Message, details?.DeepClone().AsObject());

    public static ApiError NotFound(ResourceType rt, string name) =>
        new(404, "NotFound", $"{rt.QualifiedPlural} \"{name}\" not found", ApiStatus.Details(rt, name));

    public static ApiError AlreadyExists(ResourceType rt, string name) =>
        new(409, "AlreadyExists", $"{rt.QualifiedPlural} \"{name}\" already exists", ApiStatus.Details(rt, name));

    public static ApiError Conflict(ResourceType rt, string name, string why =
        "the object has been modified; please apply your changes to the latest version and try again") =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {rt.QualifiedPlural} \"{name}\": {why}", ApiStatus.Details(rt, name));

    public static ApiError Invalid(ResourceType rt, string name, string field, string causeReason, string detail) =>
        Invalid(rt, name, [new Validation.FieldError(field, causeReason, detail)]);

    /// <summary>422 with every cause, as the real server reports a failed validation.</summary>
    public static ApiError Invalid(ResourceType rt, string name, IReadOnlyList<Validation.FieldError> errors)
    {
        // the group is left out for the core group, as Go's omitempty leaves it out
        var details = new JsonObject { ["name"] = name };
        if (rt.Group.Length > 0)
        {
            details["group"] = rt.Group;
        }
        details["kind"] = rt.Kind;
        details["causes"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field })]);
        var qualifiedKind = rt.Group.Length == 0 ? rt.Kind : $"{rt.Kind}.{rt.Group}";
        return new(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {Validation.FieldError.Join(errors)}", details);
    }

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);
}

public static class ApiStatus
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }
        status["code"] = code;
        return status;
    }

    public static JsonObject Success(ResourceType rt, string name, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = rt.Group, ["kind"] = rt.Plural, ["uid"] = uid },
    };

    public static JsonObject Details(ResourceType rt, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (rt.Group.Length > 0)
        {
            details["group"] = rt.Group;
        }
        details["kind"] = rt.Plural;
        return details;
    }
}
