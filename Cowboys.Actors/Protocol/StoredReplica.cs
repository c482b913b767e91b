namespace Cowboys.Actors.Protocol;

/// <summary>What a replica recovered from its durable store when its process started.</summary>
public sealed record StoredReplica(long Promised, string? PromisedTo, IReadOnlyList<BeatEntry> Entries)
{
    public static readonly StoredReplica Empty = new(0, null, Array.Empty<BeatEntry>());
}
