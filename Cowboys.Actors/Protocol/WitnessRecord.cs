namespace Cowboys.Actors.Protocol;

// The witness: the tie-breaking voter of an even roster. It holds no beats, only what an acceptor
// must remember (the highest epoch promised and the position last accepted), and every operation
// on it is a compare-and-swap on one record (a locked file under play, a Lease object in Kubernetes).

/// <summary>
/// The record a witness keeps, and the two operations on it (pure: the store does the
/// compare-and-swap). Like a replica, it promises an epoch to one leader only, and its accepted
/// position never goes back: a leader may have several requests in flight (or one held up in the
/// network), and a stale one arriving last must not undo a newer acceptance that a commit counted.
/// </summary>
public sealed record WitnessRecord(long Promised, string? PromisedTo, Position Accepted)
{
    public static readonly WitnessRecord Empty = new(0, null, Position.Start);

    /// <summary>A leader's request, whichever it is, and the answer to feed back to that leader.</summary>
    public (WitnessRecord Next, IToLeader Answer) Handle(IToWitness request, ProtocolMutation mutations = ProtocolMutation.None) => request switch
    {
        WitnessPrepare p => Prepare(p.Epoch, p.Leader, mutations),
        WitnessAccept a => Accept(a.Epoch, a.Position, mutations),
        _ => throw new ArgumentException($"not a witness request: {request}", nameof(request)),
    };

    public (WitnessRecord Next, WitnessPromise Answer) Prepare(long epoch, string leader, ProtocolMutation mutations = ProtocolMutation.None) =>
        Epochs.MayPromise(Promised, PromisedTo, epoch, leader, mutations)
            ? (this with { Promised = epoch, PromisedTo = leader }, new WitnessPromise(epoch, true, epoch, Accepted))
            : (this, new WitnessPromise(epoch, false, Promised, Accepted));

    public (WitnessRecord Next, WitnessAccepted Answer) Accept(long epoch, Position position, ProtocolMutation mutations = ProtocolMutation.None)
    {
        if (epoch < Promised) return (this, new WitnessAccepted(epoch, position, false, Promised));
        var accepted = mutations.HasFlag(ProtocolMutation.WitnessMayGoBack) || position > Accepted ? position : Accepted;
        // a higher epoch seen only in an accept: its leader is not known, so an equal Prepare from anybody is refused
        var next = new WitnessRecord(epoch, epoch == Promised ? PromisedTo : null, accepted);
        return (next, new WitnessAccepted(epoch, position, true, epoch));
    }
}
