using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;

namespace Cowboys.Host.Inspection;

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
