namespace Cowboys.Host.Inspection;

/// <summary>
/// What `cluster show`, `cluster leader` and `cluster unreachable` print, as pure functions of
/// the member list. One line per member in Petabridge.Cmd's shape:
/// <c>address | [roles] | status | cowboy (marks) | app version</c>, then <c>Count: N nodes</c>.
/// </summary>
public static class ClusterOutput
{
    public static IReadOnlyList<string> Show(ClusterMembersJson cluster)
    {
        // a member that has not joined yet lists nobody, not even itself: say so rather than print an empty table
        if (cluster.Members.Count == 0) return [$"{cluster.SelfNode} is not in a cluster yet: it has not joined (see its log for the contact points it is waiting for)", "Count: 0 nodes"];
        var lines = cluster.Members.Select(m => Line(cluster, m)).ToList();
        lines.Add($"Count: {cluster.Members.Count} {(cluster.Members.Count == 1 ? "node" : "nodes")}");
        return lines;
    }

    public static string Line(ClusterMembersJson cluster, ClusterMemberJson member) =>
        $"{member.Node} | [{string.Join(", ", member.Roles)}] | {member.Status.ToLowerInvariant()} | {Who(cluster, member.Node)} | {member.AppVersion ?? "-"}";

    /// <summary>The cowboy a node plays and what it is: leader (Akka's), oldest, game leader (the singleton's host), unreachable.</summary>
    public static string Who(ClusterMembersJson cluster, string node)
    {
        var marks = new List<string>();
        if (node == cluster.Leader) marks.Add("leader");
        if (node == cluster.Oldest) marks.Add("oldest");
        if (node == cluster.GameLeader) marks.Add("game leader");
        if (cluster.Unreachable.Any(u => u.Node == node)) marks.Add("unreachable");
        var name = Name(cluster, node) ?? "-";
        return marks.Count == 0 ? name : $"{name} ({string.Join(", ", marks)})";
    }

    public static IReadOnlyList<string> Leader(ClusterMembersJson cluster) =>
    [
        $"leader: {Node(cluster, cluster.Leader)}",
        $"game leader: {Node(cluster, cluster.GameLeader)}",
    ];

    public static IReadOnlyList<string> Unreachable(ClusterMembersJson cluster)
    {
        var lines = cluster.Unreachable
            .Select(u => $"{u.Node} | {Name(cluster, u.Node) ?? "-"} | observed by {string.Join(", ", u.ObservedBy)}")
            .ToList();
        lines.Add($"Count: {cluster.Unreachable.Count} unreachable");
        return lines;
    }

    /// <summary>
    /// `down-unreachable`'s report: the endpoint's answer for each member, or that he was removed
    /// before his turn (answer null), then how many were downed (the removed ones were not).
    /// </summary>
    public static IReadOnlyList<string> DownUnreachable(IReadOnlyList<(string Member, string? Answer)> answers)
    {
        var lines = answers.Select(a => a.Answer ?? $"{a.Member} is gone already: removed before it could be downed").ToList();
        lines.Add($"Count: {answers.Count(a => a.Answer is not null)} downed");
        return lines;
    }

    private static string? Name(ClusterMembersJson cluster, string node) => cluster.Members.FirstOrDefault(m => m.Node == node)?.Cowboy;

    private static string Node(ClusterMembersJson cluster, string? node) =>
        node is null ? "none" : Name(cluster, node) is { } name ? $"{node} ({name})" : node;
}
