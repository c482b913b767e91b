namespace Cowboys.Actors.Protocol;

/// <summary>
/// Whether a cowboy's process counts toward quorums. An acceptor that forgot a promise or an
/// accepted beat and votes again can help two quorums decide two different things, so a process
/// votes only if it can prove that it forgot nothing:
/// <list type="bullet">
/// <item>it recovered its replica from a durable store that outlives the process (play's
/// --state-dir: a restarted process reads back every promise and beat);</item>
/// <item>or it is known, without relying on what a leader happens to see, never to have run
/// before: in Kubernetes the first process of each cowboy claims that role on the game's Lease by
/// compare-and-swap before it answers anybody, and every later process (a replacement pod) finds
/// the claim taken and does not vote.</item>
/// </list>
/// When a claim is made, it alone decides: a replacement pod's store is as empty as its memory.
/// </summary>
public static class VotingRight
{
    public static bool Of(bool durable, bool? firstIncarnation) => firstIncarnation ?? durable;
}
