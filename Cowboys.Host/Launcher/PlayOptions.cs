using Cowboys.Actors.Rules;

namespace Cowboys.Host.Launcher;

/// <summary>Everything `play` was asked to do, parsed and checked.</summary>
public sealed record PlayOptions(
    string RosterFile,
    long? Seed,
    TimeSpan Beat,
    RuleSet Rules,
    string? ResultPath,
    TimeSpan Timeout,
    int Chaos = 0,
    TimeSpan? ForfeitAfter = null,
    TimeSpan? StartDeadline = null,
    int Pause = 0)
{
    /// <summary>How often a failed cowboy process is started again before the game is given up (a Job's backoffLimit).</summary>
    public const int RestartLimit = 6;

    /// <summary>No live view, even on a terminal: the merged log lines only.</summary>
    public bool Plain { get; init; }

    /// <summary>Passed to every cowboy (null: each decides; text outside a pod). JSON also means no live view.</summary>
    public Cowboy.LogFormat? LogFormat { get; init; }

    /// <summary>Passed to every cowboy: also log DEBUG events (the benchmark reads the ring's round trips from them).</summary>
    public bool Debug { get; init; }

    public const string DefaultRosterFile = "manifests/samples/shootout-full.yaml";

    /// <summary>
    /// One process per cowboy on one machine: beyond this, run the shootout on Kubernetes. Measured
    /// on 2 cores (decision 0018): 50 cowboys play to the end in about 80 s; at 100 the idle
    /// cluster work of a hundred processes alone fills both cores and members are downed before
    /// the game can start.
    /// </summary>
    public const int MaxLocalCowboys = 50;

    /// <summary>How many of the cowboys serve as everybody's contact points for Cluster Bootstrap.</summary>
    public const int ContactPoints = 5;
}
