using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Cluster;

namespace Cowboys.Host.Inspection;

/// <summary>
/// The body of GET /cluster/members, in the shape of Akka Management's Cluster HTTP API (its
/// ClusterHttpManagementProtocol: selfNode, members, unreachable, leader, oldest, oldestPerRole;
/// a missing leader or oldest is left out, as spray-json leaves out an empty Option). What this
/// project knows besides comes as extra fields a client of Akka Management ignores: each member's
/// cowboy and app version, and gameLeader, the node hosting the game's leader singleton.
/// </summary>
public sealed record ClusterMembersJson(
    string SelfNode,
    IReadOnlyList<ClusterMemberJson> Members,
    IReadOnlyList<ClusterUnreachableMemberJson> Unreachable,
    string? Leader,
    string? Oldest,
    IReadOnlyDictionary<string, string> OldestPerRole)
{
    /// <summary>The node hosting the game's leader (the GameMaster singleton), when one answered.</summary>
    public string? GameLeader { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a body a cowboy (or Akka Management) wrote; null when it is not that JSON.</summary>
    public static ClusterMembersJson? Parse(string body)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<ClusterMembersJson>(body, Json);
            return parsed is { SelfNode: not null, Members: not null } ? parsed with { Unreachable = parsed.Unreachable ?? [], OldestPerRole = parsed.OldestPerRole ?? ImmutableDictionary<string, string>.Empty } : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
