using System.Collections.Immutable;
using Cowboys.Actors.Game.Results;

namespace Cowboys.Actors.Protocol;

/// <summary>What a replica's shell must do, in this order: store before it answers.</summary>
public abstract record ReplicaEffect;

/// <summary>Answer the sender of the message just handled.</summary>
public sealed record Reply(IToLeader Message) : ReplicaEffect;

/// <summary>Store the promise (and the leader it was made to, if known) durably before any reply that follows.</summary>
public sealed record StorePromise(long Epoch, string? Leader) : ReplicaEffect;

/// <summary>Store these entries durably (each replaces the beat it names, or follows the last) before any reply that follows.</summary>
public sealed record StoreEntries(ImmutableArray<BeatEntry> Entries) : ReplicaEffect;

/// <summary>This beat is now known committed (in order, once each), from a leader hosted by LeaderHost (null: not said).</summary>
public sealed record BeatLearned(BeatEntry Entry, string? LeaderHost) : ReplicaEffect;

/// <summary>The game is decided: announce this result.</summary>
public sealed record GameFinished(GameResult Result) : ReplicaEffect;

/// <summary>The game is decided as not played, for this reason.</summary>
public sealed record GameAborted(string Reason) : ReplicaEffect;
