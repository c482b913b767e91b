namespace Cowboys.Actors.Protocol;

/// <summary>
/// Where a replica's log ends: the beat of its last entry and the leader epoch that wrote it.
/// Ordered the way Raft orders (term, index): the later epoch wins, then the later beat. A new
/// leader resumes from the greatest position among a quorum's promises.
/// </summary>
public readonly record struct Position(long Epoch, int Beat) : IComparable<Position>
{
    /// <summary>An empty log: nothing accepted yet.</summary>
    public static readonly Position Start = new(0, 0);

    public int CompareTo(Position other) => Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Beat.CompareTo(other.Beat);

    public static bool operator <(Position a, Position b) => a.CompareTo(b) < 0;

    public static bool operator >(Position a, Position b) => a.CompareTo(b) > 0;

    public static bool operator <=(Position a, Position b) => a.CompareTo(b) <= 0;

    public static bool operator >=(Position a, Position b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"beat {Beat} of epoch {Epoch}";
}
