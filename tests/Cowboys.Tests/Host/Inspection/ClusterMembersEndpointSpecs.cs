using System.Net;
using System.Text.Json;
using Akka.Cluster;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Xunit;
using Xunit.Abstractions;
using Cowboys.Tests.Actors.Node;

namespace Cowboys.Tests.Host.Inspection;

/// <summary>
/// GET/PUT/DELETE /cluster/members over real HTTP against a running three-node cluster (real
/// remoting, a game in progress): Akka Management's shape and answers, plus each member's cowboy
/// and the game leader's host.
/// </summary>
public sealed class ClusterMembersEndpointSpecs(ITestOutputHelper output)
{
    // a long game: the cluster stays up for the whole spec
    private static readonly GameSettings Game = new(new Roster("inspect",
        [new CowboySpec("Ann", 1_000_000, 1), new CowboySpec("Bob", 1_000_000, 1), new CowboySpec("Cid", 1_000_000, 1)]),
        RuleSet.Sequential, 7, TimeSpan.FromMilliseconds(200));

    private static string AddressOf(TestNode node) => Akka.Cluster.Cluster.Get(node.System).SelfAddress.ToString();

    private static Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan limit, string what) =>
        Eventually.Until(read, until, limit, what, v => JsonSerializer.Serialize(v), every: TimeSpan.FromMilliseconds(50));

    private static async Task<TestCluster> StartedAsync(ITestOutputHelper output, bool throttled = false)
    {
        var cluster = new TestCluster(Game, output, throttled);
        await cluster.StartAllAsync();
        await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(30));
        return cluster;
    }

    [Fact]
    public async Task Members_have_akka_managements_shape_with_leader_oldest_cowboys_and_the_game_leader()
    {
        await using var cluster = await StartedAsync(output);
        var observer = cluster.Nodes[1];
        await using var server = await InspectionServer.StartAsync(observer.System, readOnly: true);
        // the game leader answers once the singleton has started
        var members = await PollAsync(server.MembersAsync, m => m.GameLeader is not null && m.Members.All(x => x.Cowboy is not null), TimeSpan.FromSeconds(20), "no game leader or no names");

        var raw = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri(server.Endpoint, "cluster/members"))).RootElement;
        foreach (var field in new[] { "selfNode", "members", "unreachable", "leader", "oldest", "oldestPerRole" }) Assert.True(raw.TryGetProperty(field, out _), field);
        var first = raw.GetProperty("members")[0];
        Assert.Equal(JsonValueKind.String, first.GetProperty("nodeUid").ValueKind);
        Assert.Equal(JsonValueKind.Array, first.GetProperty("roles").ValueKind);

        var state = Akka.Cluster.Cluster.Get(observer.System).State;
        Assert.Equal(AddressOf(observer), members.SelfNode);
        Assert.Equal(state.Leader!.ToString(), members.Leader);
        Assert.Equal(TestCluster.OldestMember(observer).ToString(), members.Oldest);
        Assert.Equal(members.Oldest, members.OldestPerRole["cowboy"]);
        Assert.Equal(AddressOf(cluster.LeaderHost(observer)), members.GameLeader);
        Assert.Empty(members.Unreachable);
        Assert.Equal(cluster.Nodes.Select(AddressOf).Order(), members.Members.Select(m => m.Node).Order());
        foreach (var node in cluster.Nodes)
        {
            var member = members.Members.Single(m => m.Node == AddressOf(node));
            Assert.Equal(node.Name, member.Cowboy);
            Assert.Equal("Up", member.Status);
            Assert.Equal(["cowboy"], member.Roles);
            Assert.Equal(Akka.Cluster.Cluster.Get(node.System).SelfUniqueAddress.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), member.NodeUid);
        }
    }

    [Fact]
    public async Task One_member_is_found_by_its_encoded_or_short_address_and_an_unknown_one_is_404()
    {
        await using var cluster = await StartedAsync(output);
        await using var server = await InspectionServer.StartAsync(cluster.Nodes[0].System, readOnly: true);
        var bob = AddressOf(cluster.Nodes[1]);

        var encoded = JsonDocument.Parse(await server.Http.GetStringAsync(server.Member(bob))).RootElement;
        Assert.Equal(bob, encoded.GetProperty("node").GetString());
        Assert.Equal("Bob", encoded.GetProperty("cowboy").GetString());
        // Akka Management also accepts system@host:port
        var shortForm = bob["akka.tcp://".Length..];
        var byShort = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri(server.Endpoint, "cluster/members/" + shortForm))).RootElement;
        Assert.Equal(bob, byShort.GetProperty("node").GetString());

        using var unknown = await server.Http.GetAsync(server.Member("akka.tcp://cowboys@127.0.0.1:1"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Member [akka.tcp://cowboys@127.0.0.1:1] not found", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Read_only_refuses_leave_and_down_with_405_and_the_member_stays_up()
    {
        await using var cluster = await StartedAsync(output);
        await using var server = await InspectionServer.StartAsync(cluster.Nodes[0].System, readOnly: true);
        var cid = AddressOf(cluster.Nodes[2]);

        using var put = await server.Http.PutAsync(server.Member(cid), new FormUrlEncodedContent([new("operation", "Down")]));
        using var delete = await server.Http.DeleteAsync(server.Member(cid));
        using var join = await server.Http.PostAsync(new Uri(server.Endpoint, "cluster/members/"), new FormUrlEncodedContent([new("address", cid)]));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, join.StatusCode);
        Assert.Equal(MemberStatus.Up, Akka.Cluster.Cluster.Get(cluster.Nodes[0].System).State.Members.Single(m => m.Address.ToString() == cid).Status);
    }

    [Fact]
    public async Task Enabled_put_leave_takes_the_member_out_and_bad_operations_are_400()
    {
        await using var cluster = await StartedAsync(output);
        await using var server = await InspectionServer.StartAsync(cluster.Nodes[0].System, readOnly: false);
        var cid = AddressOf(cluster.Nodes[2]);

        using var join = await server.Http.PutAsync(server.Member(cid), new FormUrlEncodedContent([new("operation", "Join")]));
        Assert.Equal(HttpStatusCode.BadRequest, join.StatusCode);
        Assert.Equal("Operation not supported", JsonDocument.Parse(await join.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        // joining is a POST of the members, with the address to join
        using var noAddress = await server.Http.PostAsync(new Uri(server.Endpoint, "cluster/members/"), new FormUrlEncodedContent([new("operation", "Join")]));
        Assert.Equal(HttpStatusCode.BadRequest, noAddress.StatusCode);
        Assert.Equal("Request is missing required form field 'address'", JsonDocument.Parse(await noAddress.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        using var badAddress = await server.Http.PostAsync(new Uri(server.Endpoint, "cluster/members/"), new FormUrlEncodedContent([new("address", "somewhere")]));
        Assert.Equal(HttpStatusCode.BadRequest, badAddress.StatusCode);
        using var unknown = await server.Http.PutAsync(server.Member("akka.tcp://cowboys@127.0.0.1:1"), new FormUrlEncodedContent([new("operation", "Leave")]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var leave = await server.Http.PutAsync(server.Member(cid), new FormUrlEncodedContent([new("operation", "Leave")]));
        Assert.Equal(HttpStatusCode.OK, leave.StatusCode);
        Assert.Equal($"Leaving {cid}", JsonDocument.Parse(await leave.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());

        await PollAsync(server.MembersAsync, m => m.Members.All(x => x.Node != cid) || m.Members.Single(x => x.Node == cid).Status is "Leaving" or "Exiting",
            TimeSpan.FromSeconds(20), "Cid never left");
        await cluster.Nodes[2].System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Enabled_delete_leaves_and_put_down_downs()
    {
        await using var cluster = await StartedAsync(output);
        await using var server = await InspectionServer.StartAsync(cluster.Nodes[0].System, readOnly: false);
        var bob = AddressOf(cluster.Nodes[1]);
        var cid = AddressOf(cluster.Nodes[2]);

        using var delete = await server.Http.DeleteAsync(server.Member(bob));
        Assert.Equal($"Leaving {bob}", JsonDocument.Parse(await delete.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        using var down = await server.Http.PutAsync(server.Member(cid), new FormUrlEncodedContent([new("operation", "down")]));
        Assert.Equal($"Downing {cid}", JsonDocument.Parse(await down.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());

        await PollAsync(server.MembersAsync, m => m.Members.All(x => x.Node != bob && x.Node != cid), TimeSpan.FromSeconds(30), "Bob and Cid were not removed");
    }

    [Fact]
    public async Task A_silenced_member_is_listed_unreachable_with_the_members_that_observed_it()
    {
        await using var cluster = await StartedAsync(output, throttled: true);
        await using var server = await InspectionServer.StartAsync(cluster.Nodes[0].System, readOnly: true);
        var cid = cluster.Nodes[2];
        var others = cluster.Nodes.Take(2).ToList();
        // names are learned while members answer, and kept once one stops answering
        await PollAsync(server.MembersAsync, m => m.Members.All(x => x.Cowboy is not null), TimeSpan.FromSeconds(20), "no names");

        await TestCluster.SilenceAsync(cid, others, silenced: true);
        // the majority downs it a second after it is seen unreachable: catch it in between
        var members = await PollAsync(server.MembersAsync, m => m.Unreachable.Any(u => u.Node == AddressOf(cid)), TimeSpan.FromSeconds(20), "Cid never unreachable");

        var unreachable = members.Unreachable.Single(u => u.Node == AddressOf(cid));
        Assert.NotEmpty(unreachable.ObservedBy);
        Assert.All(unreachable.ObservedBy, o => Assert.Contains(o, others.Select(AddressOf)));
        Assert.Equal("Cid", members.Members.Single(m => m.Node == AddressOf(cid)).Cowboy);
    }
}
