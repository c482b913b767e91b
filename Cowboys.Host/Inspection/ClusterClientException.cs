using System.Net;

namespace Cowboys.Host.Inspection;

/// <summary>A failure of the cluster client, said so that the user knows what went wrong.</summary>
/// <param name="status">The endpoint's answer, when it answered with a refusal (404: no such member).</param>
public sealed class ClusterClientException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}
