using System.Collections.Immutable;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Protocol;

// What the leader machine asks its shell to do, in order.

/// <summary>What the leader's shell must do.</summary>
public abstract record LeaderEffect;

/// <summary>Send a message to a cowboy's replica, by name.</summary>
public sealed record SendTo(string Cowboy, IToReplica Message) : LeaderEffect;

/// <summary>Send the ring token of a beat round these cowboys (roster indexes, in order) and back.</summary>
public sealed record SendToken(long Epoch, int Attempt, ImmutableArray<int> Route, BeatState State) : LeaderEffect;

/// <summary>Put a request (WitnessPrepare or WitnessAccept) to the witness; feed its answer back.</summary>
public sealed record AskWitness(IToWitness Request) : LeaderEffect;

/// <summary>Fire <see cref="LeaderMachine.OnTimer"/> with this timer and generation after a delay (replacing the same timer).</summary>
public sealed record StartTimer(LeaderTimer Timer, TimeSpan After, int Generation) : LeaderEffect;

/// <summary>Something the leader's host should log.</summary>
public sealed record Note(NoteLevel Level, Telemetry.LogEvent Event, IReadOnlyList<object?> Args) : LeaderEffect
{
    /// <summary>The note as its log line reads.</summary>
    public string Text => Event.Format([.. Args]);
}

/// <summary>The ring token of the current attempt came home after this round trip (the ring's latency, for metrics).</summary>
public sealed record TokenHome(int Beat, TimeSpan RoundTrip) : LeaderEffect;

/// <summary>A quorum has stored this beat: it is committed.</summary>
public sealed record BeatCommitted(BeatEntry Entry, int Acks, bool Witness) : LeaderEffect;

/// <summary>The game is decided: the last committed beat ends it (none: a lone cowboy won at once).</summary>
public sealed record GameDecided(BeatEntry? Final, string? Winner) : LeaderEffect;

public enum NoteLevel { Info, Warning, Error }

public enum LeaderTimer { Resend, TokenLost, NextBeat, Retry, BarrierDeadline, Dismiss }
