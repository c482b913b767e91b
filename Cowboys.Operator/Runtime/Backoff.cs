using System.Threading.Channels;

namespace Cowboys.Operator.Runtime;

/// <summary>Exponential backoff with jitter, so that many retries do not hit the API server in step.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 20);
        var delay = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var jitter = 0.8 + 0.4 * (random ?? Random.Shared).NextDouble();
        return TimeSpan.FromMilliseconds(delay * jitter);
    }
}
