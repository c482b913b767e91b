using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Cluster;

namespace Cowboys.Host.Inspection;

/// <summary>The body of every answer that is not a member list: {"message": ...}.</summary>
public sealed record ClusterHttpMessage(string Message)
{
    public string ToJson() => JsonSerializer.Serialize(this, ClusterMembersJson.Json);
}
