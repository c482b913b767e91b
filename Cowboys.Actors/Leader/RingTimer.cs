namespace Cowboys.Actors.Leader;

/// <summary>
/// Keeps the ring's measured round trips and derives from them how long to wait before a token
/// counts as lost. Pure bookkeeping, so it can be tested without actors.
/// </summary>
public sealed class RingTimer
{
    private static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BeforeMeasurements = TimeSpan.FromSeconds(3);
    private readonly List<double> _millis = new();

    public IReadOnlyList<double> RoundTripsMs => _millis;

    public void Record(TimeSpan roundTrip) => _millis.Add(roundTrip.TotalMilliseconds);

    /// <summary>Ten times the slowest recent round trip, kept within [300 ms, 5 s].</summary>
    public TimeSpan LostAfter()
    {
        if (_millis.Count == 0) return BeforeMeasurements;
        var recent = _millis.Skip(Math.Max(0, _millis.Count - 20)).Max();
        var wait = TimeSpan.FromMilliseconds(recent * 10);
        return wait < Floor ? Floor : wait > Ceiling ? Ceiling : wait;
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
