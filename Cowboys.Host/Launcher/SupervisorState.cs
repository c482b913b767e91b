using System.Collections.Immutable;

namespace Cowboys.Host.Launcher;

/// <summary>What `play`'s supervisor knows: every cowboy's process, the faults still to come, and when the game ended.</summary>
/// <param name="Cowboys">In roster order.</param>
/// <param name="Plan">The chaos plan's faults not yet carried out, in order.</param>
/// <param name="GameOverAt">When a result was first seen written (null: the game goes on).</param>
/// <param name="LastFaultBeat">The beat after which the last fault was carried out: one fault a beat.</param>
public sealed record SupervisorState(ImmutableArray<SupervisedCowboy> Cowboys, ImmutableQueue<PlannedKill> Plan, TimeSpan? GameOverAt, int LastFaultBeat)
{
    public static SupervisorState Initial(IEnumerable<string> cowboys, IEnumerable<PlannedKill> plan) =>
        new([.. cowboys.Select(n => new SupervisedCowboy(n))], [.. plan], null, -1);

    public SupervisedCowboy this[string name] => Cowboys.First(c => c.Name == name);
}
