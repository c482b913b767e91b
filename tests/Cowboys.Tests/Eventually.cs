using Cowboys.Actors.Game.Settings;

namespace Cowboys.Tests;

/// <summary>
/// The tests' one way to wait for a real process or cluster: read until a condition holds, with
/// a deadline that holds on a loaded machine, and a failure that says what was awaited and what
/// was last seen. Never a bare sleep standing in for a condition.
/// </summary>
public static class Eventually
{
    /// <summary>How often a condition is read again.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    /// <param name="read">What to look at (a request, a file, a process list).</param>
    /// <param name="done">Whether what was read is what we wait for.</param>
    /// <param name="what">What we wait for, as the failure names it: "every cowboy process started".</param>
    /// <param name="seen">How to show the last reading in the failure (default: its ToString).</param>
    /// <param name="gaveUp">Stops waiting at once (a process that exited): the failure says so. It is asked before each
    /// reading, so the reading taken after it said stop still counts.</param>
    /// <returns>The reading that satisfied <paramref name="done"/>.</returns>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="limit"/>, or <paramref name="gaveUp"/> said stop.</exception>
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan limit, string what,
        Func<T, string>? seen = null, Func<bool>? gaveUp = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            // asked before the reading, so that a reading taken after the process exited decides: what it wrote last is not missed
            var stopped = gaveUp?.Invoke() ?? false;
            var value = await read();
            if (done(value)) return value;
            if (stopped || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{(stopped ? "stopped waiting" : $"waited {Duration.Format(limit)}")} for {what}; last seen: {(seen ?? (v => $"{v}"))(value)}");
            }
            await Task.Delay(every ?? Every);
        }
    }

    /// <summary>The same for a condition read synchronously.</summary>
    public static Task<T> Until<T>(Func<T> read, Func<T, bool> done, TimeSpan limit, string what,
        Func<T, string>? seen = null, Func<bool>? gaveUp = null, TimeSpan? every = null) =>
        Until(() => Task.FromResult(read()), done, limit, what, seen, gaveUp, every);

    /// <summary>A condition with nothing to show but itself.</summary>
    public static Task Until(Func<Task<bool>> condition, TimeSpan limit, string what, Func<bool>? gaveUp = null, TimeSpan? every = null) =>
        Until(condition, ok => ok, limit, what, _ => "not yet", gaveUp, every);
}
