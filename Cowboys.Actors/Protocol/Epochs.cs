namespace Cowboys.Actors.Protocol;

/// <summary>
/// Leader epochs (Paxos ballots). An epoch is a round in the high bits over a few bits of the
/// leader's incarnation in the low ones, which spreads concurrent leaders apart but does not make
/// them unique: two leaders may still draw the same epoch. What makes a ballot unique is the
/// promise rule: an acceptor promises an epoch equal to the one it holds only to the leader it
/// promised it to, so at most one leader gathers a quorum of promises for any epoch.
/// </summary>
public static class Epochs
{
    private const int IncarnationBits = 20;

    /// <summary>An epoch above <paramref name="highestSeen"/>, in the next round.</summary>
    public static long Next(long highestSeen, long incarnation) =>
        (((highestSeen >> IncarnationBits) + 1) << IncarnationBits) | (incarnation & ((1 << IncarnationBits) - 1));

    /// <summary>
    /// Whether an acceptor that promised <paramref name="promised"/> to <paramref name="promisedTo"/>
    /// may promise <paramref name="epoch"/> to <paramref name="leader"/>: a higher epoch, or the
    /// same epoch again to the same leader (a resent Prepare). An equal epoch from another leader
    /// is refused as if it were lower.
    /// </summary>
    public static bool MayPromise(long promised, string? promisedTo, long epoch, string leader, ProtocolMutation mutations = ProtocolMutation.None) =>
        epoch > promised || (epoch == promised && (promisedTo == leader || mutations.HasFlag(ProtocolMutation.EqualEpochFromAnotherLeader)));
}
