using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Protocol;

/// <summary>
/// One beat of the game's log, as a leader proposed it: the healths after it, its shots and its
/// events (forfeits at its start). An entry with <see cref="Abort"/> set is the other value beat 1
/// can take: the game will not be played, for that reason.
/// <see cref="Digest"/> chains the outcome of this beat to the digest of the one before, so equal
/// digests at a beat mean equal logs up to it, whichever epochs wrote them.
/// </summary>
public sealed record BeatEntry(int Beat, long Epoch, ImmutableArray<int> Health, ImmutableArray<Shot> Shots, ImmutableArray<GameEvent> Events, string? Abort, long Digest)
{
    public Position Position => new(Epoch, Beat);

    public bool IsAbort => Abort is not null;

    /// <summary>Whether the game ends with this entry: an abort, or at most one cowboy left.</summary>
    public bool EndsGame => IsAbort || GameRules.IsOver(Health);

    public static BeatEntry Create(long previousDigest, int beat, long epoch, ImmutableArray<int> health, ImmutableArray<Shot> shots, ImmutableArray<GameEvent> events, string? abort = null) =>
        new(beat, epoch, health, shots, events, abort, DigestOf(previousDigest, beat, health, shots, events, abort));

    /// <summary>The same beat written again under another epoch: the same outcome, so the same digest.</summary>
    public BeatEntry WithEpoch(long epoch) => this with { Epoch = epoch };

    private static long DigestOf(long previous, int beat, ImmutableArray<int> health, ImmutableArray<Shot> shots, ImmutableArray<GameEvent> events, string? abort)
    {
        var text = new StringBuilder();
        text.Append(previous).Append('|').Append(beat).Append('|').AppendJoin(',', health).Append('|');
        foreach (var s in shots) text.Append(s.Shooter).Append('>').Append(s.Target).Append(':').Append(s.Damage).Append('=').Append(s.TargetHealth).Append(';');
        text.Append('|');
        foreach (var e in events) text.Append(e.Beat).Append(e.Kind).Append(':').Append(e.Cowboy).Append(';');
        text.Append('|').Append(abort);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }
}
