using System.Collections.Immutable;

namespace Cowboys.Host.Launcher;

/// <summary>What `play`'s supervisor knows: every cowboy's process, the faults still to come, and when the game ended.</summary>
/// <param name="Cowboys">In roster order.</param>
/// <param name="Plan">The chaos plan's faults not yet carried out, in order.</param>
/// <param name="GameOverAt">When a result was first seen written (null: the game goes on).</param>
/// <param name="LastFaultBeat">The beat after which the last fault was carried out: one fault a beat.</param>
public sealed record SupervisorState(ImmutableArray<SupervisedCowboy> Cowboys, ImmutableQueue<PlannedKill> Plan, TimeSpan? GameOverAt, int LastFaultBeat)
{
    /// <summary>The waves not started yet, in order (<see cref="Waves"/>): the cowboys of each, by name.</summary>
    public ImmutableQueue<ImmutableArray<string>> Waiting { get; init; } = [];

    /// <summary>How many waves there are in all, for the messages.</summary>
    public int WaveCount { get; init; } = 1;

    /// <summary>When the last wave was started.</summary>
    public TimeSpan LastWaveAt { get; init; }

    /// <summary>Everybody starts at once.</summary>
    public static SupervisorState Initial(IEnumerable<string> cowboys, IEnumerable<PlannedKill> plan) =>
        new([.. cowboys.Select(n => new SupervisedCowboy(n))], [.. plan], null, -1);

    /// <summary>The first wave starts at once, the others wait (<see cref="Supervisor"/> starts them).</summary>
    public static SupervisorState Initial(IReadOnlyList<string> cowboys, IEnumerable<PlannedKill> plan, IReadOnlyList<int> waves)
    {
        if (waves.Sum() != cowboys.Count || waves.Any(w => w < 1)) throw new ArgumentException($"waves {string.Join("+", waves)} do not cover {cowboys.Count} cowboys", nameof(waves));
        var first = waves[0];
        var waiting = ImmutableQueue<ImmutableArray<string>>.Empty;
        var at = first;
        foreach (var size in waves.Skip(1))
        {
            waiting = waiting.Enqueue([.. cowboys.Skip(at).Take(size)]);
            at += size;
        }
        return new SupervisorState([.. cowboys.Select((n, i) => i < first ? new SupervisedCowboy(n) : new SupervisedCowboy(n) { Running = false })], [.. plan], null, -1)
        {
            Waiting = waiting,
            WaveCount = waves.Count,
        };
    }

    public SupervisedCowboy this[string name] => Cowboys.First(c => c.Name == name);
}
