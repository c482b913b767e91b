using System.Collections.Immutable;

namespace Cowboys.Actors.Protocol;

// What a leader sends a cowboy's replica. Every message but WhoAreYou carries the leader's epoch,
// and a replica that has promised a higher epoch ignores it (it answers Rejected).

/// <summary>The leader asks each member's cowboy who he is and where his log ends.</summary>
public sealed record WhoAreYou : ICowboysMessage, IToReplica
{
    public static readonly WhoAreYou Instance = new();
}

/// <summary>
/// Phase one: promise to ignore every lower epoch (and this epoch from any other leader), and
/// tell me where your log ends. Leader names the leader uniquely (its member's address and uid).
/// </summary>
public sealed record Prepare(long Epoch, string Fingerprint, string Leader) : ICowboysMessage, IToReplica;

/// <summary>
/// Phase two: store this beat, if your log up to the beat before is the one with BaseDigest.
/// LeaderHost is the cowboy whose process hosts the sending leader (null: not said): a replica
/// that learns a commit from this message shows it on GET /game.
/// </summary>
public sealed record Accept(long Epoch, string Fingerprint, long BaseDigest, BeatEntry Entry, string? LeaderHost = null) : ICowboysMessage, IToReplica;

/// <summary>
/// Committed entries from beat From on, for a replica whose log up to From-1 is the one with BaseDigest
/// (catch-up, in chunks). LeaderHost as in <see cref="Accept"/>.
/// </summary>
public sealed record Sync(long Epoch, string Fingerprint, int From, long BaseDigest, ImmutableArray<BeatEntry> Entries, string? LeaderHost = null) : ICowboysMessage, IToReplica;

/// <summary>A new leader reads the newest log it found, in chunks.</summary>
public sealed record Fetch(long Epoch, int From) : ICowboysMessage, IToReplica;

/// <summary>
/// The log up to Beat (the one with Digest) is committed and its last beat ends the game: announce
/// it. Final is that last beat, so a replica one beat behind (at BaseDigest) needs no other message.
/// </summary>
public sealed record Decide(long Epoch, int Beat, long Digest, BeatEntry? Final = null, long BaseDigest = 0) : ICowboysMessage, IToReplica;

/// <summary>Everybody present knows the end: a cowboy that announced it may leave the cluster now.</summary>
public sealed record Dismiss(long Epoch) : ICowboysMessage, IToReplica;
