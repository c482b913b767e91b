using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Protocol;

/// <summary>
/// A log of beats, beat 1 first. Every entry but the last is committed (a leader proposes beat k
/// only after beat k-1 is committed); the last may still be replaced by a newer leader's.
/// </summary>
public sealed class ReplicaLog
{
    private readonly List<BeatEntry> _entries = new();
    private readonly ImmutableArray<int> _startingHealth;

    public ReplicaLog(ImmutableArray<int> startingHealth) => _startingHealth = startingHealth;

    public int Count => _entries.Count;

    public Position Last => _entries.Count == 0 ? Position.Start : _entries[^1].Position;

    public long LastDigest => DigestAt(_entries.Count);

    public BeatEntry this[int beat] => _entries[beat - 1];

    public IReadOnlyList<BeatEntry> Entries => _entries;

    public ImmutableArray<int> HealthAfter(int beat) => beat == 0 ? _startingHealth : _entries[beat - 1].Health;

    /// <summary>Digest of the log up to a beat (0 for the empty prefix).</summary>
    public long DigestAt(int beat) => beat == 0 ? 0 : _entries[beat - 1].Digest;

    /// <summary>Whether this log, up to that beat, is the log with that digest.</summary>
    public bool Matches(int beat, long digest) => beat >= 0 && beat <= _entries.Count && DigestAt(beat) == digest;

    public void Append(BeatEntry entry)
    {
        if (entry.Beat != _entries.Count + 1) throw new ArgumentException($"beat {entry.Beat} cannot follow beat {_entries.Count}", nameof(entry));
        _entries.Add(entry);
    }

    /// <summary>Replaces the entry at a beat held already (the last one, or a relabelling of the same outcome).</summary>
    public void Replace(BeatEntry entry)
    {
        if (entry.Beat < 1 || entry.Beat > _entries.Count) throw new ArgumentException($"beat {entry.Beat} is not in the log of {_entries.Count}", nameof(entry));
        if (entry.Beat < _entries.Count && entry.Digest != _entries[entry.Beat - 1].Digest)
        {
            throw new InvalidOperationException($"beat {entry.Beat} is committed: only the last beat may change its outcome");
        }
        _entries[entry.Beat - 1] = entry;
    }

    /// <summary>Up to <paramref name="maxShots"/> shots' worth of entries from a beat on (at least one), so no message grows with the game.</summary>
    public ImmutableArray<BeatEntry> Chunk(int from, int upTo, int maxShots)
    {
        var builder = ImmutableArray.CreateBuilder<BeatEntry>();
        var shots = 0;
        for (var beat = Math.Max(1, from); beat <= Math.Min(upTo, _entries.Count); beat++)
        {
            var entry = _entries[beat - 1];
            if (builder.Count > 0 && shots + entry.Shots.Length + 1 > maxShots) break;
            builder.Add(entry);
            shots += entry.Shots.Length + 1;
        }
        return builder.ToImmutable();
    }

    /// <summary>The game's result as of a beat of this log.</summary>
    public GameResult ResultAt(Roster roster, RuleSet rules, long seed, int beat)
    {
        var shots = ImmutableArray.CreateBuilder<Shot>();
        var events = ImmutableArray.CreateBuilder<GameEvent>();
        for (var b = 1; b <= beat; b++)
        {
            shots.AddRange(_entries[b - 1].Shots);
            events.AddRange(_entries[b - 1].Events);
        }
        return GameResult.From(roster, rules, seed, beat, HealthAfter(beat), shots.ToImmutable(), events.ToImmutable());
    }
}
