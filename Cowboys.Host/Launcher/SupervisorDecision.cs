using Cowboys.Actors.Game.Results;

namespace Cowboys.Host.Launcher;

/// <summary>What `play`'s shell is told to do, in order, by <see cref="Supervisor.Decide"/>.</summary>
public abstract record SupervisorDecision
{
    /// <summary>Start the cowboy's process: the first time (his wave), or again.</summary>
    public sealed record Start(string Cowboy) : SupervisorDecision;

    /// <summary>SIGKILL the cowboy's process; record the fault and say it.</summary>
    public sealed record Kill(string Cowboy, Fault Fault, string Text) : SupervisorDecision;

    /// <summary>SIGSTOP the cowboy's process; if that worked, record the fault and say it.</summary>
    public sealed record Freeze(string Cowboy, Fault Fault, string Text) : SupervisorDecision;

    /// <summary>SIGCONT the cowboy's process if it is still the incarnation that was frozen.</summary>
    public sealed record Wake(string Cowboy, int Incarnation) : SupervisorDecision;

    /// <summary>Tell the user.</summary>
    public sealed record Say(string Text) : SupervisorDecision;

    /// <summary>Stop every process still running, long after the game ended: a process restarted after the end has no cluster left to join.</summary>
    public sealed record StopStragglers : SupervisorDecision;

    /// <summary>The game cannot go on: the reason.</summary>
    public sealed record GiveUp(string Reason) : SupervisorDecision;

    /// <summary>Every process has exited: the game's result can be read.</summary>
    public sealed record Done : SupervisorDecision;
}
