namespace Cowboys.Host.Launcher;

/// <summary>One cowboy process as `play`'s supervisor sees it, across its restarts (pure state).</summary>
/// <param name="Name">The cowboy.</param>
public sealed record SupervisedCowboy(string Name)
{
    /// <summary>Started and not seen to exit.</summary>
    public bool Running { get; init; } = true;

    /// <summary>How often he was started again.</summary>
    public int Restarts { get; init; }

    /// <summary>When he is due to be started again (null: he is not waiting for it).</summary>
    public TimeSpan? RestartAt { get; init; }

    /// <summary>Killed by the chaos plan: restarted sooner, and without a word (the kill was announced).</summary>
    public bool KilledByChaos { get; init; }

    /// <summary>When a process frozen by the plan is woken (null: not frozen).</summary>
    public TimeSpan? ResumeAt { get; init; }

    /// <summary>Which start this is: 1 for the first; a Wake is only for the incarnation that was frozen.</summary>
    public int Incarnation { get; init; } = 1;

    /// <summary>The incarnation that was frozen.</summary>
    public int PausedIncarnation { get; init; }

    /// <summary>Running and not hit by a fault: one the chaos plan may hit next.</summary>
    public bool IsUp => Running && RestartAt is null && ResumeAt is null && !KilledByChaos;
}
