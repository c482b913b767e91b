using System.Collections.Immutable;
using Cowboys.Host.Inspection;
using Xunit;

namespace Cowboys.Tests.Inspection;

public sealed class ClusterChangesTests
{
    private const string A = "akka.tcp://cowboys@127.0.0.1:4053";
    private const string B = "akka.tcp://cowboys@127.0.0.1:4054";

    private static ClusterMembersJson Cluster(IReadOnlyList<ClusterMemberJson> members, params string[] unreachable) =>
        new(A, members, unreachable.Select(u => new ClusterUnreachableMemberJson(u, [A])).ToList(), A, A, ImmutableDictionary<string, string>.Empty);

    private static ClusterMemberJson Member(string node, string status, string? cowboy) => new(node, "1", status, ["cowboy"]) { Cowboy = cowboy };

    [Fact]
    public void The_first_reading_lists_every_member_as_it_is()
    {
        Assert.Equal([$"{A} | Ann | up", $"{B} | - | joining"], ClusterChanges.Between(null, Cluster([Member(A, "Up", "Ann"), Member(B, "Joining", null)])));
    }

    [Fact]
    public void A_member_that_comes_up_becomes_unreachable_is_downed_and_is_removed_gives_one_line_per_change()
    {
        var joining = Cluster([Member(A, "Up", "Ann"), Member(B, "Joining", null)]);
        var up = Cluster([Member(A, "Up", "Ann"), Member(B, "Up", "Bob")]);
        var unreachable = Cluster([Member(A, "Up", "Ann"), Member(B, "Up", "Bob")], B);
        var down = Cluster([Member(A, "Up", "Ann"), Member(B, "Down", "Bob")], B);
        var removed = Cluster([Member(A, "Up", "Ann")]);

        Assert.Equal([$"{B} | Bob | up"], ClusterChanges.Between(joining, up));
        Assert.Empty(ClusterChanges.Between(up, up));
        Assert.Equal([$"{B} | Bob | unreachable"], ClusterChanges.Between(up, unreachable));
        Assert.Equal([$"{B} | Bob | down"], ClusterChanges.Between(unreachable, down));
        Assert.Equal([$"{B} | Bob | removed"], ClusterChanges.Between(down, removed));
        Assert.Equal([$"{B} | Bob | reachable"], ClusterChanges.Between(unreachable, up));
        // several changes between two readings come in the order they happen
        Assert.Equal([$"{B} | Bob | unreachable", $"{B} | Bob | down"], ClusterChanges.Between(up, down));
    }
}
