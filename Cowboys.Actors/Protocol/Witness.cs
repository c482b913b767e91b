namespace Cowboys.Actors.Protocol;

// The witness: the tie-breaking voter of an even roster. It holds no beats, only what an acceptor
// must remember (the highest epoch promised and the position last accepted), and every operation
// on it is a compare-and-swap on one record (a locked file under play, a Lease object in Kubernetes).

public sealed record WitnessPrepare(long Epoch);

public sealed record WitnessPromise(long Epoch, bool Granted, long Promised, Position Accepted);

public sealed record WitnessAccept(long Epoch, Position Position);

public sealed record WitnessAccepted(long Epoch, Position Position, bool Granted, long Promised);

/// <summary>The record a witness keeps, and the two operations on it (pure: the store does the compare-and-swap).</summary>
public sealed record WitnessRecord(long Promised, Position Accepted)
{
    public static readonly WitnessRecord Empty = new(0, Position.Start);

    public (WitnessRecord Next, WitnessPromise Answer) Prepare(long epoch) =>
        epoch >= Promised
            ? (this with { Promised = epoch }, new WitnessPromise(epoch, true, epoch, Accepted))
            : (this, new WitnessPromise(epoch, false, Promised, Accepted));

    public (WitnessRecord Next, WitnessAccepted Answer) Accept(long epoch, Position position) =>
        epoch >= Promised
            ? (new WitnessRecord(epoch, position), new WitnessAccepted(epoch, position, true, epoch))
            : (this, new WitnessAccepted(epoch, position, false, Promised));
}

/// <summary>Where a game's witness record lives. Implementations must make each call atomic across processes.</summary>
public interface IWitnessStore
{
    Task<WitnessRecord> UpdateAsync(Func<WitnessRecord, WitnessRecord> change, CancellationToken cancellation);
}
