using System.Collections.Immutable;

namespace Cowboys.Actors.Protocol;

// What a cowboy's replica, or the witness of an even roster, answers a leader. Each names the epoch it answers and where the
// replica's log ends, so that a late or duplicated answer is recognised for what it is.

/// <summary>Who a cowboy is, what game he plays, what he has promised and where his log ends.</summary>
public sealed record Hello(string Name, string Fingerprint, long Promised, Position Last, long LastDigest, bool Voter, bool Decided) : ICowboysMessage, IToLeader;

/// <summary>The answer to Prepare(Epoch): nothing of a lower epoch will be accepted from now on.</summary>
public sealed record Promise(long Epoch, string Name, string Fingerprint, Position Last, long LastDigest, bool Voter) : ICowboysMessage, IToLeader;

/// <summary>Where the replica's log ends after an Accept, a Sync or a Decide of this epoch.</summary>
public sealed record Ack(long Epoch, string Name, Position Last, long LastDigest, bool Voter) : ICowboysMessage, IToLeader;

/// <summary>A chunk of the replica's log for a recovering leader.</summary>
public sealed record Fetched(long Epoch, string Name, int From, ImmutableArray<BeatEntry> Entries, Position Last) : ICowboysMessage, IToLeader;

/// <summary>The replica has promised a higher epoch: the sender is no longer the leader.</summary>
public sealed record Rejected(long Epoch, string Name, long Promised) : ICowboysMessage, IToLeader;

/// <summary>The replica has announced the end: the game was decided with its log up to Beat (the one with Digest).</summary>
public sealed record Done(long Epoch, string Name, int Beat, long Digest) : ICowboysMessage, IToLeader;

/// <summary>The witness's answer to a WitnessPrepare: granted, or the epoch it promised instead; where its accepted position is.</summary>
public sealed record WitnessPromise(long Epoch, bool Granted, long Promised, Position Accepted) : IToLeader;

/// <summary>The witness's answer to a WitnessAccept: granted, or the epoch it promised instead.</summary>
public sealed record WitnessAccepted(long Epoch, Position Position, bool Granted, long Promised) : IToLeader;
