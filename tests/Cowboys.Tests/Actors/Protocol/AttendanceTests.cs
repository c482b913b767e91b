using Cowboys.Actors.Protocol;
using Xunit;

namespace Cowboys.Tests.Actors.Protocol;

public sealed class AttendanceTests
{
    [Fact]
    public void A_cowboy_is_present_from_his_hello_until_his_member_is_unreachable_and_again_once_reachable_and_heard()
    {
        var attendance = new Attendance();
        Assert.False(attendance.Hello("Ann", "a", inRoster: true)); // not a member yet
        attendance.MemberUp("a");
        Assert.Equal(["a"], attendance.Strangers);
        Assert.True(attendance.Hello("Ann", "a", inRoster: true));
        Assert.False(attendance.Hello("Ann", "a", inRoster: true)); // a repeat
        Assert.Equal("a", attendance.AddressOf("Ann"));
        Assert.Empty(attendance.Strangers);

        Assert.Equal(["Ann"], attendance.Unreachable("a"));
        Assert.Null(attendance.AddressOf("Ann"));
        Assert.False(attendance.Hello("Ann", "a", inRoster: true)); // unreachable members are not heard
        Assert.True(attendance.Reachable("a"));
        Assert.True(attendance.Hello("Ann", "a", inRoster: true));
    }

    [Fact]
    public void A_second_process_playing_one_cowboy_reaches_the_leader_but_does_not_take_the_name_and_a_gone_member_frees_it()
    {
        var attendance = new Attendance();
        attendance.MemberUp("a");
        attendance.MemberUp("b");
        Assert.True(attendance.Hello("Ann", "a", inRoster: true));
        Assert.True(attendance.Hello("Ann", "b", inRoster: true)); // the leader must hear it to abort
        Assert.Equal("a", attendance.AddressOf("Ann"));

        Assert.Equal(["Ann"], attendance.MemberGone("a"));
        Assert.Empty(attendance.MemberGone("a"));
        Assert.Empty(attendance.Unreachable("a")); // no longer a member
        Assert.True(attendance.Hello("Ann", "b", inRoster: true));
        Assert.Equal("b", attendance.AddressOf("Ann"));
    }

    [Fact]
    public void A_stranger_not_in_the_roster_is_heard_but_never_present()
    {
        var attendance = new Attendance();
        attendance.MemberUp("z");
        Assert.True(attendance.Hello("Zed", "z", inRoster: false));
        Assert.Null(attendance.AddressOf("Zed"));
    }
}
