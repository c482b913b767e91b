using Cowboys.Actors.Rules;

namespace Cowboys.Host.Cowboy;

/// <summary>The settings of one cowboy process (`cowboy --name NAME ...`), the command a pod runs.</summary>
public sealed record CowboyProcessOptions
{
    public required string Name { get; init; }

    public required string RosterFile { get; init; }

    public long Seed { get; init; }

    public RuleSet Rules { get; init; } = RuleSet.Sequential;

    public TimeSpan Beat { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Address to bind remoting and HTTP to.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Address the other members reach this one on (the pod IP); defaults to Host.</summary>
    public string? PublicHost { get; init; }

    public int Port { get; init; } = 4053;

    /// <summary>Health checks and the Cluster Bootstrap contact point.</summary>
    public int HttpPort { get; init; } = 8558;

    /// <summary>The HTTP endpoints (host:port) of every cowboy, for config-based Cluster Bootstrap.</summary>
    public IReadOnlyList<string> ContactPoints { get; init; } = [];

    /// <summary>Where to write the result JSON when the game ends (play reads it; a pod uses its termination log).</summary>
    public string? ResultFile { get; init; }

    /// <summary>Exit when this process is no longer our parent: a cowboy never outlives its launcher.</summary>
    public int? ParentPid { get; init; }

    /// <summary>A file every cowboy of the game can lock, to break Split Brain Resolver ties (play sets it).</summary>
    public string? LeaseFile { get; init; }

    /// <summary>How long a live cowboy may be away before he forfeits.</summary>
    public TimeSpan ForfeitAfter { get; init; } = GameSettings.DefaultForfeitAfter;

    /// <summary>Also show Akka's own warnings (association failures and the like).</summary>
    public bool Verbose { get; init; }
}
