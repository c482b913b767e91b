using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Cluster;

namespace Cowboys.Host.Inspection;

/// <summary>One member: its address, its uid (a string, as Akka Management writes it), status and roles.</summary>
public sealed record ClusterMemberJson(string Node, string NodeUid, string Status, IReadOnlyList<string> Roles)
{
    /// <summary>The cowboy this member's process plays, when he answered.</summary>
    public string? Cowboy { get; init; }

    public string? AppVersion { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ClusterMembersJson.Json);
}
