namespace Cowboys.Actors.Protocol;

/// <summary>How long the leader waits for things; the defaults suit a cluster on one machine or in one data centre.</summary>
public sealed record LeaderTimings
{
    public TimeSpan Resend { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryAfterRejection { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan StartBarrier { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long, after the end, the leader waits for every present cowboy to have announced it before dismissing them all.</summary>
    public TimeSpan DismissAfter { get; init; } = TimeSpan.FromSeconds(3);
}
