using System.Collections.Immutable;

namespace Cowboys.Host.Launcher;

/// <summary>
/// How many cowboy processes `play` starts together (pure). A cowboy's start is about a
/// CPU-second of work (the runtime, Akka.NET, the web host, joining); a hundred at once on two
/// cores starve each other's heartbeats for the best part of a minute, members are suspected and
/// downed, and the cluster never forms. So the cowboys start in waves of a few per core, the
/// first wave holding the contact points, and the next starts once every cowboy started so far
/// has joined (<see cref="Supervisor"/>). A game that fits in one wave starts as before, all at once.
/// </summary>
public static class Waves
{
    /// <summary>Cowboys started together per processor: measured on 2 cores (docs/decisions/0024).</summary>
    public const int PerProcessor = 5;

    /// <summary>Beyond this a wave that has not joined no longer holds the next one back: a cowboy that never joins must not stall the game, which then says why.</summary>
    public static readonly TimeSpan JoinLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The start deadline the cowboys get: the one asked for, counted from the last wave's start,
    /// which the earlier waves may hold back by up to <see cref="JoinLimit"/> each.
    /// </summary>
    public static TimeSpan StartDeadline(TimeSpan asked, int waves) => asked + JoinLimit * (waves - 1);

    /// <summary>The largest wave on a machine with this many processors: never fewer than the contact points, which must start together.</summary>
    public static int SizeFor(int processors) => Math.Max(PlayOptions.ContactPoints, PerProcessor * Math.Max(1, processors));

    /// <summary>The sizes of the waves, in order, for a roster of this many cowboys.</summary>
    public static ImmutableArray<int> For(int cowboys, int processors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cowboys, 1);
        var size = SizeFor(processors);
        var waves = ImmutableArray.CreateBuilder<int>();
        for (var left = cowboys; left > 0; left -= size) waves.Add(Math.Min(size, left));
        return waves.ToImmutable();
    }
}
