using Cowboys.Host.Inspection;
using Xunit;

namespace Cowboys.Tests.Host.Inspection;

/// <summary>The answers of /cluster/members/{address}, as Akka Management's routes give them.</summary>
public sealed class MemberActionTests
{
    private const string Address = "akka.tcp://cowboys@127.0.0.1:4053";

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public void Read_only_refuses_every_change_with_405_even_for_an_unknown_member(string method)
    {
        Assert.Equal(new MemberAction.Refuse(405, null), MemberAction.Decide(method, readOnly: true, Address, found: false, "Leave"));
        Assert.Equal(new MemberAction.Refuse(405, null), MemberAction.Decide(method, readOnly: true, Address, found: true, "Leave"));
    }

    [Fact]
    public void Read_only_still_shows_a_member() =>
        Assert.IsType<MemberAction.Show>(MemberAction.Decide("GET", readOnly: true, Address, found: true, null));

    [Fact]
    public void An_unknown_member_is_404_with_a_message() =>
        Assert.Equal(new MemberAction.Refuse(404, $"Member [{Address}] not found"), MemberAction.Decide("PUT", readOnly: false, Address, found: false, "Down"));

    [Theory]
    [InlineData("Leave", typeof(MemberAction.Leave))]
    [InlineData("leave", typeof(MemberAction.Leave))]
    [InlineData("Down", typeof(MemberAction.Down))]
    [InlineData("DOWN", typeof(MemberAction.Down))]
    public void Put_takes_leave_or_down_in_any_case(string operation, Type expected) =>
        Assert.IsType(expected, MemberAction.Decide("PUT", readOnly: false, Address, found: true, operation));

    [Fact]
    public void Put_of_another_operation_or_none_is_400()
    {
        Assert.Equal(new MemberAction.Refuse(400, "Operation not supported"), MemberAction.Decide("PUT", readOnly: false, Address, found: true, "Join"));
        Assert.Equal(400, Assert.IsType<MemberAction.Refuse>(MemberAction.Decide("PUT", readOnly: false, Address, found: true, null)).Status);
    }

    [Fact]
    public void Delete_leaves() => Assert.IsType<MemberAction.Leave>(MemberAction.Decide("DELETE", readOnly: false, Address, found: true, null));
}
