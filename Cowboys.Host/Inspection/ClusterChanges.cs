using Akka.Cluster;

namespace Cowboys.Host.Inspection;

/// <summary>
/// What GET /cluster/changes (and so `cluster tail`) says of Akka's cluster events, in the manner
/// of pbm's `cluster tail`: the members as they are, then one status per membership or
/// reachability event. Pure, so every event is unit-tested.
/// </summary>
public static class ClusterChanges
{
    /// <summary>The members of a snapshot, each with its status, then each unreachable member.</summary>
    public static IReadOnlyList<(Member Member, string Status)> Initial(ClusterEvent.CurrentClusterState state) =>
        [.. state.Members.Select(m => (m, StatusOf(m.Status))), .. state.Unreachable.Select(m => (m, "unreachable"))];

    /// <summary>The member an event is about and its new status; null for events that are not about one member's membership or reachability.</summary>
    public static (Member Member, string Status)? Of(ClusterEvent.IClusterDomainEvent e) => e switch
    {
        ClusterEvent.UnreachableMember u => (u.Member, "unreachable"),
        ClusterEvent.ReachableMember r => (r.Member, "reachable"),
        ClusterEvent.MemberRemoved r => (r.Member, "removed"),
        ClusterEvent.IMemberEvent m => (m.Member, StatusOf(m.Member.Status)),
        _ => null,
    };

    private static string StatusOf(MemberStatus status) => status switch
    {
        MemberStatus.WeaklyUp => "weakly-up",
        _ => status.ToString().ToLowerInvariant(),
    };
}
