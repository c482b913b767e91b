using Akka.Configuration;
using Cowboys.Actors.Node.Hosting;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace Cowboys.Tests.Actors.Node.Hosting;

public class ClusterScaleProperties
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void A_small_cluster_keeps_the_fast_settings_the_failover_figures_were_measured_with(int members)
    {
        var s = ClusterScale.For(members);
        Assert.Equal(TimeSpan.FromMilliseconds(200), s.GossipInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(100), s.TickDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(200), s.LeaderActionsInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(300), s.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), s.AcceptableHeartbeatPause);
        Assert.Equal(ClusterScale.Monitors, s.MonitoredByNrOfMembers);
        Assert.Equal(TimeSpan.FromSeconds(1), s.StableAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), s.DownRemovalMargin);
        // probing is the one thing faster: it is what a forming cluster waits on (decision 0024)
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.ProbeInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), s.JoinTimeout);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(24)]
    [InlineData(100)]
    public void Above_five_members_a_member_heartbeats_and_ticks_at_the_quiet_rates_measured_at_scale(int members)
    {
        var s = ClusterScale.For(members);
        // an idle member's CPU is its wake-ups: from six members on, not only from 25 (decision 0024)
        Assert.Equal(TimeSpan.FromMilliseconds(Math.Round(Math.Min(200 * members / 5.0, 500))), s.TickDuration);
        Assert.InRange(s.HeartbeatInterval, TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(2));
        Assert.Equal(ClusterScale.LargeClusterMonitors, s.MonitoredByNrOfMembers);
        // gossip is what a forming and a leaving cluster waits on: it slows down with N only
        Assert.Equal(TimeSpan.FromMilliseconds(Math.Round(Math.Min(200 * members / 5.0, 1000))), s.GossipInterval);
    }

    [Fact]
    public void What_a_member_tolerates_still_grows_with_the_cluster()
    {
        // fewer heartbeats need a longer pause at once (four of them), but settling and joining
        // follow the start-up storms, which grow with N
        Assert.Equal(TimeSpan.FromSeconds(6), ClusterScale.For(6).AcceptableHeartbeatPause);
        Assert.Equal(TimeSpan.FromSeconds(10), ClusterScale.For(100).AcceptableHeartbeatPause);
        Assert.True(ClusterScale.For(6).StableAfter < ClusterScale.For(15).StableAfter);
        Assert.True(ClusterScale.For(6).JoinTimeout < ClusterScale.For(25).JoinTimeout);
        Assert.True(ClusterScale.For(6).ProbeInterval < ClusterScale.For(25).ProbeInterval);
    }

    [Property(MaxTest = 300)]
    public void A_larger_cluster_never_does_its_periodic_work_more_often(PositiveInt a, PositiveInt b)
    {
        var (small, large) = (Math.Min(a.Get, 1000), Math.Min(Math.Max(a.Get, b.Get), 1000));
        var s = ClusterScale.For(small);
        var l = ClusterScale.For(large);
        Assert.True(l.GossipInterval >= s.GossipInterval);
        Assert.True(l.TickDuration >= s.TickDuration);
        Assert.True(l.LeaderActionsInterval >= s.LeaderActionsInterval);
        Assert.True(l.HeartbeatInterval >= s.HeartbeatInterval);
        Assert.True(l.AcceptableHeartbeatPause >= s.AcceptableHeartbeatPause);
        Assert.True(l.MonitoredByNrOfMembers <= s.MonitoredByNrOfMembers);
        Assert.True(l.ProbeInterval >= s.ProbeInterval);
        Assert.True(l.JoinTimeout >= s.JoinTimeout);
    }

    [Property(MaxTest = 300)]
    public void Every_size_keeps_the_invariants_failure_detection_and_downing_rely_on(PositiveInt n)
    {
        var s = ClusterScale.For(Math.Min(n.Get, 1000));
        // a downed member must be gone before its singleton moves
        Assert.True(s.DownRemovalMargin >= s.StableAfter);
        // several heartbeats may be lost before a member is suspected
        Assert.True(s.AcceptableHeartbeatPause >= 4 * s.HeartbeatInterval);
        // bounded, so that a crash is still noticed within seconds
        Assert.True(s.AcceptableHeartbeatPause <= TimeSpan.FromSeconds(10));
        Assert.True(s.GossipInterval <= TimeSpan.FromSeconds(1));
        // no periodic task of the cluster's is finer than the scheduler can fire it
        Assert.True(s.TickDuration <= s.GossipInterval && s.TickDuration <= s.HeartbeatInterval && s.TickDuration <= s.LeaderActionsInterval);
    }

    [Fact]
    public void The_hocon_carries_every_setting_to_akka()
    {
        var s = ClusterScale.For(100);
        var config = ConfigurationFactory.ParseString(s.ToHocon());
        Assert.Equal(s.GossipInterval, config.GetTimeSpan("akka.cluster.gossip-interval"));
        Assert.Equal(s.TickDuration, config.GetTimeSpan("akka.scheduler.tick-duration"));
        Assert.Equal(s.LeaderActionsInterval, config.GetTimeSpan("akka.cluster.leader-actions-interval"));
        Assert.Equal(s.DownRemovalMargin, config.GetTimeSpan("akka.cluster.down-removal-margin"));
        Assert.Equal(s.HeartbeatInterval, config.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal(s.AcceptableHeartbeatPause, config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(s.MonitoredByNrOfMembers, config.GetInt("akka.cluster.failure-detector.monitored-by-nr-of-members"));
        Assert.Equal(s.StableAfter, config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(s.JoinTimeout, config.GetTimeSpan("akka.cluster.seed-node-timeout"));
        Assert.Equal(s.JoinTimeout, config.GetTimeSpan("akka.cluster.retry-unsuccessful-join-after"));
    }

    [Fact]
    public void A_cluster_needs_at_least_one_member()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClusterScale.For(0));
    }
}
