using System.Collections.Immutable;

namespace Cowboys.Actors.Rules;

/// <summary>
/// The game as of its last committed beat. Every cowboy keeps a copy, so that a new leader
/// can carry on from the newest copy it finds after the old one died.
/// </summary>
/// <summary>One committed beat's changes: the healths after it, and the shots and events it added.</summary>
public sealed record BeatDelta(int Beat, ImmutableArray<int> Health, ImmutableArray<Shot> Shots, ImmutableArray<GameEvent> Events);

public sealed record GameSnapshot(long Epoch, int Beat, ImmutableArray<int> Health, ImmutableArray<Shot> Shots, ImmutableArray<GameEvent> Events)
{
    public static GameSnapshot Initial(Rosters.Roster roster) =>
        new(0, 0, roster.StartingHealth(), ImmutableArray<Shot>.Empty, ImmutableArray<GameEvent>.Empty);

    /// <summary>The snapshot after a beat has been played in full.</summary>
    public GameSnapshot Commit(long epoch, BeatState played) =>
        new(epoch, played.Beat, played.Health, Shots.AddRange(played.Shots), Events);

    /// <summary>A cowboy who stayed away too long is recorded as dead, at the start of the given beat.</summary>
    public GameSnapshot Forfeit(int beat, int cowboy, string name) =>
        this with { Health = Health.SetItem(cowboy, 0), Events = Events.Add(new GameEvent(beat, GameEvent.Forfeit, name)) };

    public GameResult ToResult(Rosters.Roster roster, RuleSet rules, long seed) =>
        GameResult.From(roster, rules, seed, Beat, Health, Shots, Events);

    /// <summary>What a commit changed since the previous one, so that commits stay small as a game grows.</summary>
    public BeatDelta DeltaSince(GameSnapshot previous) =>
        new(Beat, Health, Shots.RemoveRange(0, previous.Shots.Length), Events.RemoveRange(0, previous.Events.Length));

    /// <summary>The next snapshot, if the delta follows this one directly; null when a beat is missing in between.</summary>
    public GameSnapshot? Apply(long epoch, BeatDelta delta) =>
        delta.Beat == Beat + 1 ? new GameSnapshot(epoch, delta.Beat, delta.Health, Shots.AddRange(delta.Shots), Events.AddRange(delta.Events)) : null;

    /// <summary>Which of two copies is newer: the later beat wins; at equal beats, the later epoch.</summary>
    public bool IsNewerThan(GameSnapshot other) => Beat != other.Beat ? Beat > other.Beat : Epoch > other.Epoch;
}
