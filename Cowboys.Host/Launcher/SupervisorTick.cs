using System.Collections.Immutable;

namespace Cowboys.Host.Launcher;

/// <summary>What `play`'s shell saw since the last tick: the input of <see cref="Supervisor.Decide"/>.</summary>
/// <param name="Now">Time since play started.</param>
/// <param name="ResultWritten">Some cowboy has written the game's result: the game is over.</param>
/// <param name="Exited">The exit code of every cowboy whose current process has exited.</param>
/// <param name="CommittedBeat">The furthest beat the cowboys' GET /game showed committed.</param>
/// <param name="LeaderHost">The cowboy whose process hosts the leader, as that view names him.</param>
/// <param name="LastErrors">Each cowboy's last line on stderr, for the messages.</param>
public sealed record SupervisorTick(
    TimeSpan Now,
    bool ResultWritten,
    IReadOnlyDictionary<string, int> Exited,
    int CommittedBeat,
    string? LeaderHost,
    IReadOnlyDictionary<string, string> LastErrors)
{
    /// <summary>A cowboy's GET /game showed the game over (its result is on the way): no fault is due any more.</summary>
    public bool Decided { get; init; }

    /// <summary>The cowboys seen to have joined the cluster (GET /ready answered), since their first start.</summary>
    public IReadOnlySet<string> Joined { get; init; } = ImmutableHashSet<string>.Empty;
}
