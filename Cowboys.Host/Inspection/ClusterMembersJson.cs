using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
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

/// <summary>One member: its address, its uid (a string, as Akka Management writes it), status and roles.</summary>
public sealed record ClusterMemberJson(string Node, string NodeUid, string Status, IReadOnlyList<string> Roles)
{
    /// <summary>The cowboy this member's process plays, when he answered.</summary>
    public string? Cowboy { get; init; }

    public string? AppVersion { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ClusterMembersJson.Json);
}

/// <summary>A member some members cannot reach, and which members they are.</summary>
public sealed record ClusterUnreachableMemberJson(string Node, IReadOnlyList<string> ObservedBy);

/// <summary>The body of every answer that is not a member list: {"message": ...}.</summary>
public sealed record ClusterHttpMessage(string Message)
{
    public string ToJson() => JsonSerializer.Serialize(this, ClusterMembersJson.Json);
}

/// <summary>
/// What one member knows of the cluster at one moment, and the pure functions that turn it into
/// Akka Management's JSON.
/// </summary>
public sealed record ClusterSnapshot(
    Address Self,
    IReadOnlyCollection<Member> Members,
    IReadOnlyDictionary<UniqueAddress, IReadOnlyCollection<UniqueAddress>> UnreachableObservers,
    Address? Leader,
    IReadOnlyDictionary<Address, string> Cowboys,
    Address? GameLeader)
{
    public ClusterMembersJson ToJson()
    {
        // as Akka Management: oldest among the Up members (there is one data centre here)
        var up = Members.Where(m => m.Status == MemberStatus.Up).ToList();
        var oldest = up.Count == 0 ? null : up.OrderBy(m => m, Member.AgeOrdering).First().Address.ToString();
        var oldestPerRole = up.SelectMany(m => m.Roles).Distinct().ToImmutableSortedDictionary(
            role => role,
            role => up.Where(m => m.HasRole(role)).OrderBy(m => m, Member.AgeOrdering).First().Address.ToString(),
            StringComparer.Ordinal);
        var unreachable = UnreachableObservers
            .OrderBy(u => u.Key.Address.ToString(), StringComparer.Ordinal)
            .Select(u => new ClusterUnreachableMemberJson(u.Key.Address.ToString(), u.Value.Select(o => o.Address.ToString()).Order(StringComparer.Ordinal).ToList()))
            .ToList();
        return new ClusterMembersJson(
            Self.ToString(),
            Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).Select(ToMember).ToList(),
            unreachable,
            Leader?.ToString(),
            oldest,
            oldestPerRole)
        {
            GameLeader = GameLeader?.ToString(),
        };
    }

    public ClusterMemberJson ToMember(Member m) =>
        new(m.Address.ToString(), m.UniqueAddress.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Status.ToString(), m.Roles.Order(StringComparer.Ordinal).ToList())
        {
            Cowboy = Cowboys.GetValueOrDefault(m.Address),
            AppVersion = m.AppVersion.ToString(),
        };

    /// <summary>
    /// The member an address names: in full (akka.tcp://cowboys@127.0.0.1:4053), or as Akka
    /// Management also accepts, without the protocol (cowboys@127.0.0.1:4053).
    /// </summary>
    public static Member? Find(IEnumerable<Member> members, string address) =>
        members.FirstOrDefault(m => m.Address.ToString() == address || $"{m.Address.System}@{m.Address.Host}:{m.Address.Port}" == address);
}
