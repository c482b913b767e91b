using System.Collections.Immutable;
using Cowboys.Host.Inspection;
using Xunit;

namespace Cowboys.Tests.Host.Inspection;

public sealed class ClusterOutputTests
{
    private const string A = "akka.tcp://cowboys@127.0.0.1:4053";
    private const string B = "akka.tcp://cowboys@127.0.0.1:4054";
    private const string C = "akka.tcp://cowboys@127.0.0.1:4055";

    private static ClusterMembersJson Cluster(string? leader = A, string? oldest = B, string? gameLeader = B, params ClusterUnreachableMemberJson[] unreachable) =>
        new(A,
            [
                new ClusterMemberJson(A, "1", "Up", ["cowboy"]) { Cowboy = "John", AppVersion = "1.0.0" },
                new ClusterMemberJson(B, "2", "Up", ["cowboy"]) { Cowboy = "Bill", AppVersion = "1.0.0" },
                new ClusterMemberJson(C, "3", "Leaving", ["cowboy", "extra"]) { AppVersion = "1.0.1" },
            ],
            unreachable, leader, oldest, ImmutableDictionary<string, string>.Empty.Add("cowboy", B))
        {
            GameLeader = gameLeader,
        };

    [Fact]
    public void Down_unreachable_counts_only_the_members_it_downed_and_names_those_removed_before_their_turn()
    {
        Assert.Equal([$"Downing {A}", $"{B} is gone already: removed before it could be downed", $"Downing {C}", "Count: 2 downed"],
            ClusterOutput.DownUnreachable([(A, $"Downing {A}"), (B, null), (C, $"Downing {C}")]));
        Assert.Equal(["Count: 0 downed"], ClusterOutput.DownUnreachable([]));
    }

    [Fact]
    public void Show_of_a_member_that_has_not_joined_says_so()
    {
        var alone = new ClusterMembersJson(A, [], [], null, null, ImmutableDictionary<string, string>.Empty);
        Assert.Equal([$"{A} is not in a cluster yet: it has not joined (see its log for the contact points it is waiting for)", "Count: 0 nodes"], ClusterOutput.Show(alone));
    }

    [Fact]
    public void Show_prints_one_petabridge_style_line_per_member_and_the_count()
    {
        Assert.Equal(
        [
            $"{A} | [cowboy] | up | John (leader) | 1.0.0",
            $"{B} | [cowboy] | up | Bill (oldest, game leader) | 1.0.0",
            $"{C} | [cowboy, extra] | leaving | - | 1.0.1",
            "Count: 3 nodes",
        ], ClusterOutput.Show(Cluster()));
    }

    [Fact]
    public void Show_marks_an_unreachable_member()
    {
        var lines = ClusterOutput.Show(Cluster(unreachable: new ClusterUnreachableMemberJson(C, [A, B])));
        Assert.Equal($"{C} | [cowboy, extra] | leaving | - (unreachable) | 1.0.1", lines[2]);
    }

    [Fact]
    public void Show_counts_a_lone_node_as_one_node()
    {
        var lone = new ClusterMembersJson(A, [new ClusterMemberJson(A, "1", "Up", ["cowboy"]) { Cowboy = "John" }], [], A, A, ImmutableDictionary<string, string>.Empty) { GameLeader = A };
        Assert.Equal([$"{A} | [cowboy] | up | John (leader, oldest, game leader) | -", "Count: 1 node"], ClusterOutput.Show(lone));
    }

    [Fact]
    public void Leader_names_the_cluster_leader_and_the_game_leader_with_their_cowboys()
    {
        Assert.Equal([$"leader: {A} (John)", $"game leader: {B} (Bill)"], ClusterOutput.Leader(Cluster()));
        Assert.Equal(["leader: none", "game leader: none"], ClusterOutput.Leader(Cluster(leader: null, gameLeader: null)));
    }

    [Fact]
    public void Unreachable_lists_who_observed_each_unreachable_member()
    {
        Assert.Equal([$"{B} | Bill | observed by {A}, {C}", "Count: 1 unreachable"],
            ClusterOutput.Unreachable(Cluster(unreachable: new ClusterUnreachableMemberJson(B, [A, C]))));
        Assert.Equal(["Count: 0 unreachable"], ClusterOutput.Unreachable(Cluster()));
    }

    [Fact]
    public void The_members_json_reads_back_what_it_wrote_and_refuses_other_json()
    {
        var cluster = Cluster(unreachable: new ClusterUnreachableMemberJson(C, [A]));
        var back = ClusterMembersJson.Parse(cluster.ToJson())!;
        Assert.Equal(ClusterOutput.Show(cluster), ClusterOutput.Show(back));
        Assert.Null(ClusterMembersJson.Parse("""{"beat":3,"alive":5}"""));
        Assert.Null(ClusterMembersJson.Parse("Healthy"));
    }
}
