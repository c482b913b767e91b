namespace Cowboys.Host.Launcher;

/// <summary>What `play`'s shell saw since the last tick: the input of <see cref="Supervisor.Decide"/>.</summary>
/// <param name="Now">Time since play started.</param>
/// <param name="ResultWritten">Some cowboy has written the game's result: the game is over.</param>
/// <param name="Exited">The exit code of every cowboy whose current process has exited.</param>
/// <param name="CommittedBeat">The last beat the cowboys' logs said was committed.</param>
/// <param name="LeaderHost">The cowboy whose process logged that commit: he hosts the leader.</param>
/// <param name="LastErrors">Each cowboy's last line on stderr, for the messages.</param>
public sealed record SupervisorTick(
    TimeSpan Now,
    bool ResultWritten,
    IReadOnlyDictionary<string, int> Exited,
    int CommittedBeat,
    string? LeaderHost,
    IReadOnlyDictionary<string, string> LastErrors);
