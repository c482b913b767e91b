using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Cowboys.Operator.Kubernetes;

/// <summary>
/// An API error that asking again cannot cure: the object is invalid (422), the operator may not
/// (403), or the request is malformed (400). Anything else (5xx, 429, timeouts, lost connections)
/// may pass and is retried with backoff; 409 is handled where it means something.
/// </summary>
public sealed record ApiRefusal(string Reason, string Message)
{
    public static bool IsPermanent(HttpStatusCode code) =>
        code is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity;

    /// <summary>The refusal in an exception, or null when the error may pass.</summary>
    public static ApiRefusal? Of(Exception e) => e is HttpOperationException { Response: { } response } http && IsPermanent(response.StatusCode)
        ? From(response.StatusCode, response.Content, $"{http.Request?.Method} {http.Request?.RequestUri?.AbsolutePath}")
        : null;

    /// <summary>Reason and message from the server's Status body (its own words), else from the code.</summary>
    public static ApiRefusal From(HttpStatusCode code, string? body, string request)
    {
        V1Status? status = null;
        try
        {
            status = string.IsNullOrWhiteSpace(body) ? null : KubernetesJson.Deserialize<V1Status>(body);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        var reason = string.IsNullOrEmpty(status?.Reason) ? code.ToString() : status.Reason;
        var said = string.IsNullOrEmpty(status?.Message) ? body?.Trim() : status.Message;
        return new ApiRefusal(reason, $"the API server refused {request} ({(int)code} {reason}): {(string.IsNullOrEmpty(said) ? "no message" : said)}");
    }
}
