using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Util;
using Cowboys.Host.Inspection;
using Xunit;

namespace Cowboys.Tests.Host.Inspection;

public sealed class ClusterChangesTests
{
    private static readonly Member Ann = TestMember(4053, MemberStatus.Up);
    private static readonly Member Bob = TestMember(4054, MemberStatus.Joining);

    /// <summary>Akka.NET makes members only internally (its own tests use an internal TestMember): the same factory, by reflection.</summary>
    private static Member TestMember(int port, MemberStatus status) =>
        (Member)typeof(Member).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static, null,
            [typeof(UniqueAddress), typeof(int), typeof(MemberStatus), typeof(ImmutableHashSet<string>), typeof(AppVersion)], null)!
            .Invoke(null, [new UniqueAddress(new Address("akka.tcp", "cowboys", "127.0.0.1", port), port), port, status, ImmutableHashSet.Create("cowboy"), AppVersion.Zero])!;

    [Fact]
    public void The_snapshot_lists_every_member_with_its_status_then_the_unreachable_ones()
    {
        var state = new ClusterEvent.CurrentClusterState(ImmutableSortedSet.Create(Ann, Bob), ImmutableHashSet.Create(Bob),
            ImmutableHashSet<Address>.Empty, Ann.Address, ImmutableDictionary<string, Address>.Empty);

        Assert.Equal([(Ann, "up"), (Bob, "joining"), (Bob, "unreachable")], ClusterChanges.Initial(state));
    }

    [Fact]
    public void Each_membership_and_reachability_event_is_one_status_of_its_member()
    {
        var up = Bob.Copy(MemberStatus.Up);
        var leaving = up.Copy(MemberStatus.Leaving);
        var exiting = leaving.Copy(MemberStatus.Exiting);
        var down = up.Copy(MemberStatus.Down);

        Assert.Equal((Bob, "joining"), ClusterChanges.Of(new ClusterEvent.MemberJoined(Bob)));
        Assert.Equal((up, "up"), ClusterChanges.Of(new ClusterEvent.MemberUp(up)));
        Assert.Equal((up, "unreachable"), ClusterChanges.Of(new ClusterEvent.UnreachableMember(up)));
        Assert.Equal((up, "reachable"), ClusterChanges.Of(new ClusterEvent.ReachableMember(up)));
        Assert.Equal((leaving, "leaving"), ClusterChanges.Of(new ClusterEvent.MemberLeft(leaving)));
        Assert.Equal((exiting, "exiting"), ClusterChanges.Of(new ClusterEvent.MemberExited(exiting)));
        Assert.Equal((down, "down"), ClusterChanges.Of(new ClusterEvent.MemberDowned(down)));
        Assert.Equal("removed", ClusterChanges.Of(new ClusterEvent.MemberRemoved(down.Copy(MemberStatus.Removed), MemberStatus.Down))!.Value.Status);
        Assert.Null(ClusterChanges.Of(new ClusterEvent.LeaderChanged(Ann.Address)));
    }

    [Fact]
    public void A_change_prints_as_pbms_tail_with_its_time_and_goes_over_the_wire_unchanged()
    {
        var change = new ClusterChange(new DateTimeOffset(2026, 12, 5, 4, 5, 6, 789, TimeSpan.Zero), "akka.tcp://cowboys@127.0.0.1:4054", "Bob", "unreachable");

        Assert.Equal("04:05:06.789 akka.tcp://cowboys@127.0.0.1:4054 | Bob | unreachable", change.ToString());
        Assert.Equal("04:05:06.789 akka.tcp://cowboys@127.0.0.1:4054 | - | up", (change with { Cowboy = null, Status = "up" }).ToString());
        Assert.Equal(change, ClusterChange.Parse(change.ToJson()));
        Assert.Null(ClusterChange.Parse("""{"members": []}"""));
        Assert.Null(ClusterChange.Parse("not json"));
    }
}
