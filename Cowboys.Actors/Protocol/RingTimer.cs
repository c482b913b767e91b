namespace Cowboys.Actors.Protocol;

/// <summary>
/// Keeps the ring's measured round trips and derives from them how long to wait before a token
/// counts as lost. Pure bookkeeping, so it can be tested without actors.
/// </summary>
public sealed class RingTimer
{
    private static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(300);
    // each hop of a first token can wait for JIT and for a busy core: 100 ms of slack a cowboy
    private static readonly TimeSpan PerCowboy = TimeSpan.FromMilliseconds(100);
    private readonly TimeSpan _ceiling;
    private readonly TimeSpan _beforeMeasurements;
    private readonly List<double> _millis = new();

    /// <summary>A ring of this many cowboys (the bounds grow with it: a token passes every one of them).</summary>
    public RingTimer(int cowboys)
    {
        _ceiling = TimeSpan.FromSeconds(5) + PerCowboy * cowboys;
        // the first token also opens a connection at every hop, in processes still compiling code
        _beforeMeasurements = TimeSpan.FromSeconds(3) + 3 * PerCowboy * cowboys;
    }

    public IReadOnlyList<double> RoundTripsMs => _millis;

    public void Record(TimeSpan roundTrip) => _millis.Add(roundTrip.TotalMilliseconds);

    /// <summary>Ten times the slowest recent round trip, kept within [300 ms, 5 s + 100 ms a cowboy].</summary>
    public TimeSpan LostAfter()
    {
        if (_millis.Count == 0) return _beforeMeasurements;
        var recent = _millis.Skip(Math.Max(0, _millis.Count - 20)).Max();
        var wait = TimeSpan.FromMilliseconds(recent * 10);
        return wait < Floor ? Floor : wait > _ceiling ? _ceiling : wait;
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
