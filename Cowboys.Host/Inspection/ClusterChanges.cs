namespace Cowboys.Host.Inspection;

/// <summary>
/// What `cluster tail` prints: the membership and reachability changes between two readings of
/// /cluster/members, one line each, in the manner of pbm's `cluster tail`:
/// <c>address | cowboy | joining|up|leaving|exiting|down|removed|unreachable|reachable</c>.
/// A member missing from the later reading was removed. Pure, so every transition is unit-tested.
/// </summary>
public static class ClusterChanges
{
    public static IReadOnlyList<string> Between(ClusterMembersJson? before, ClusterMembersJson after)
    {
        var lines = new List<string>();
        var old = before?.Members.ToDictionary(m => m.Node) ?? [];
        var oldUnreachable = before?.Unreachable.Select(u => u.Node).ToHashSet() ?? [];
        var unreachable = after.Unreachable.Select(u => u.Node).ToHashSet();
        // in the order they happen when several fall between two readings: unreachable, then downed, removed
        foreach (var node in unreachable.Where(n => !oldUnreachable.Contains(n)).Order(StringComparer.Ordinal))
        {
            lines.Add(Line(node, Cowboy(after, before, node), "unreachable"));
        }
        foreach (var member in after.Members)
        {
            var was = old.GetValueOrDefault(member.Node);
            if (was is null || !was.Status.Equals(member.Status, StringComparison.OrdinalIgnoreCase))
            {
                lines.Add(Line(member.Node, member.Cowboy ?? was?.Cowboy, member.Status.ToLowerInvariant()));
            }
        }
        foreach (var node in oldUnreachable.Where(n => !unreachable.Contains(n) && after.Members.Any(m => m.Node == n)).Order(StringComparer.Ordinal))
        {
            lines.Add(Line(node, Cowboy(after, before, node), "reachable"));
        }
        foreach (var gone in old.Values.Where(m => after.Members.All(a => a.Node != m.Node)))
        {
            lines.Add(Line(gone.Node, gone.Cowboy, "removed"));
        }
        return lines;
    }

    private static string Line(string node, string? cowboy, string what) => $"{node} | {cowboy ?? "-"} | {what}";

    private static string? Cowboy(ClusterMembersJson after, ClusterMembersJson? before, string node) =>
        after.Members.FirstOrDefault(m => m.Node == node)?.Cowboy ?? before?.Members.FirstOrDefault(m => m.Node == node)?.Cowboy;
}
