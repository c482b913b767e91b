using Cowboys.Actors.Node.Hosting;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Host.Launcher;

/// <summary>Everything `play` was asked to do, parsed and checked (declared in <see cref="PlayCommandLine"/>).</summary>
public sealed record PlayOptions
{
    public string RosterFile { get; init; } = CowboyOptions.DefaultRosterFile;

    /// <summary>Null: a random seed, printed so the game can be replayed.</summary>
    public long? Seed { get; init; }

    /// <summary>Where to write the result JSON, if anywhere.</summary>
    public string? ResultPath { get; init; }

    /// <summary>Give up (exit 1) if the game has not ended by then.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many cowboy processes to kill with SIGKILL during the game.</summary>
    public int Chaos { get; init; }

    /// <summary>How many cowboy processes to freeze with SIGSTOP during the game.</summary>
    public int Pause { get; init; }

    /// <summary>No live view, even on a terminal: the merged log lines only.</summary>
    public bool Plain { get; init; }

    /// <summary>
    /// What every cowboy process is started with besides its own name, ports and files: the
    /// game's rules and beat, the deadlines, the log format (null: each decides; text outside a
    /// pod; JSON also means no live view) and DEBUG events (the benchmark reads the ring's round
    /// trips from them).
    /// </summary>
    public CowboyOptions Cowboys { get; init; } = CowboyOptions.Defaults;

    public TimeSpan Beat => Cowboys.Beat;

    public RuleSet Rules => Cowboys.Rules;

    public LogFormat? LogFormat => Cowboys.LogFormat;

    public bool Debug => Cowboys.Debug;

    /// <summary>How often a failed cowboy process is started again before the game is given up (a Job's backoffLimit).</summary>
    public const int RestartLimit = 6;

    /// <summary>
    /// One process per cowboy on one machine: beyond this, run the shootout on Kubernetes. Measured
    /// on 2 cores (decisions 0018, 0024): started in <see cref="Waves"/>, 100 cowboys play to the end
    /// in about 3 minutes (2.7 here); idle, they then take about 0.7 % of a core each.
    /// </summary>
    public const int MaxLocalCowboys = 100;

    /// <summary>How many of the cowboys serve as everybody's contact points for Cluster Bootstrap.</summary>
    public const int ContactPoints = 5;
}
