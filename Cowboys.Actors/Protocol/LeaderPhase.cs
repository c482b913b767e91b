using System.Collections.Immutable;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Protocol;

/// <summary>
/// What the leader is doing, with the state that only that phase has, so that nothing is
/// meaningful in one phase and stale in another. The proposer's phases (Preparing, Fetching,
/// Accepting) carry what safety rests on; TokenOut and Resting only schedule beats; Deciding ends.
/// </summary>
internal abstract class LeaderPhase
{
    /// <summary>No epoch yet, or stepped down: waiting for enough cowboys to lead.</summary>
    public sealed class Gathering : LeaderPhase
    {
        public static readonly Gathering Instance = new();
    }

    /// <summary>Phase one: Prepare(Epoch) is out; collecting promises (and the witness's).</summary>
    public sealed class Preparing : LeaderPhase
    {
        public Dictionary<string, Promise> Promises { get; } = new();

        public WitnessPromise? Witness { get; set; }

        public bool WitnessAsked { get; set; }
    }

    /// <summary>Recovery: reading the log that ends at Target from a cowboy who holds it.</summary>
    public sealed class Fetching(Position target, IReadOnlyDictionary<string, Promise> promises) : LeaderPhase
    {
        public Position Target { get; } = target;

        public IReadOnlyDictionary<string, Promise> Promises { get; } = promises;

        public string? Holder { get; set; }
    }

    /// <summary>The ring token of a beat is out: the beat is being played (its forfeits already decided).</summary>
    public sealed class TokenOut(int attempt, ImmutableArray<int> route, ImmutableArray<GameEvent> events) : LeaderPhase
    {
        public int Attempt { get; } = attempt;

        public ImmutableArray<int> Route { get; } = route;

        public ImmutableArray<GameEvent> Events { get; } = events;
    }

    /// <summary>Phase two: the beat Pending is proposed; collecting the acknowledgements of a quorum.</summary>
    public sealed class Accepting(BeatEntry pending) : LeaderPhase
    {
        public BeatEntry Pending { get; } = pending;

        public HashSet<string> Acks { get; } = new();

        public bool WitnessAccepted { get; set; }

        public bool WitnessAsked { get; set; }
    }

    /// <summary>Between beats (the beat interval), or nobody can play: waiting to start the next.</summary>
    public sealed class Resting : LeaderPhase
    {
        public static readonly Resting Instance = new();
    }

    /// <summary>The end is committed: bringing everybody present to it, then dismissing them.</summary>
    public sealed class Deciding : LeaderPhase
    {
        public HashSet<string> Done { get; } = new();

        public bool Dismissed { get; set; }
    }
}
