using Cowboys.Actors.Rules;

namespace Cowboys.Host.Launcher;

/// <summary>Everything `play` was asked to do, parsed and checked.</summary>
public sealed record PlayOptions(
    string RosterFile,
    long? Seed,
    TimeSpan Beat,
    RuleSet Rules,
    string? ResultPath,
    TimeSpan Timeout)
{
    public const string DefaultRosterFile = "manifests/samples/shootout-full.yaml";

    /// <summary>One process per cowboy on one machine: beyond this, run the shootout on Kubernetes.</summary>
    public const int MaxLocalCowboys = 100;
}
