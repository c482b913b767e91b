namespace Cowboys.Host.Launcher;

/// <summary>One planned fault: after the given beat has been committed, kill (or freeze) the leader's host or the named cowboy.</summary>
public sealed record PlannedKill(int AfterBeat, string? Cowboy, bool Pause = false)
{
    public bool TargetsLeaderHost => Cowboy is null;
}
