namespace Cowboys.Actors.Game.Settings;

/// <summary>
/// Exponential backoff, written once: the operator's retries (with jitter, so that many retries
/// do not hit the API server in step) and the sandbox's Job controller and kubelet (without, as
/// Kubernetes' own back-off for failed pods and restarted containers).
/// </summary>
public static class Backoff
{
    /// <summary>The delay before attempt <paramref name="attempt"/> (1: the first retry waits <paramref name="baseDelay"/>), doubling up to <paramref name="maxDelay"/>.</summary>
    public static TimeSpan Nominal(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 20);
        return TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * Math.Pow(2, exponent), maxDelay.Ticks));
    }

    /// <summary><see cref="Nominal"/> spread by ±20 %.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null) =>
        Nominal(attempt, baseDelay, maxDelay) * (0.8 + 0.4 * (random ?? Random.Shared).NextDouble());
}
