using System.Diagnostics.Metrics;
using Akka.Cluster;

namespace Cowboys.Actors.Telemetry;

/// <summary>
/// Every instrument of a cowboy process, in one place. Names follow Prometheus' conventions once
/// the OpenTelemetry Prometheus exporter has added its suffixes: a counter gets <c>_total</c>, a
/// unit of "s" gets <c>_seconds</c> (so the instrument names here carry neither). The actors record
/// once per beat, token or event, never per shot, so the hot path gains one counter Add at most.
/// Static because there is one cowboy per process; in a test process hosting several nodes they
/// add up, and the membership gauges read the last cluster registered.
/// </summary>
public static class CowboysMetrics
{
    public const string MeterName = "Cowboys";

    private static readonly Meter Meter = new(MeterName, typeof(CowboysMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Beats this process's replica learned were committed (every process learns every beat).</summary>
    public static readonly Counter<long> Beats = Meter.CreateCounter<long>("cowboys_beats", description: "Beats this process's replica learned were committed");

    /// <summary>Shots in the committed beats this replica learned.</summary>
    public static readonly Counter<long> Shots = Meter.CreateCounter<long>("cowboys_shots", description: "Shots in the committed beats this process's replica learned");

    /// <summary>Cowboys who died (shot dead or forfeited) in the committed beats this replica learned.</summary>
    public static readonly Counter<long> Deaths = Meter.CreateCounter<long>("cowboys_deaths", description: "Cowboys who died in the committed beats this process's replica learned");

    /// <summary>
    /// Leader changes this process saw: leader="cluster" is Akka's cluster leader (cluster events),
    /// leader="game" a new game leader epoch this replica promised (the singleton moved or restarted).
    /// </summary>
    public static readonly Counter<long> LeaderChanges = Meter.CreateCounter<long>("cowboys_leader_changes", description: "Leader changes seen by this process (leader=cluster|game)");

    /// <summary>Time for the ring token to visit every live cowboy and come back, on the game leader's host.</summary>
    public static readonly Histogram<double> RingRoundTrip = Meter.CreateHistogram("cowboys_ring_round_trip", unit: "s",
        description: "Time for the ring token to go round the live cowboys and back to the game leader",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static volatile Cluster? _cluster;

    static CowboysMetrics()
    {
        Meter.CreateObservableGauge("cowboys_members", ObserveMembers, description: "Cluster members by status, as this process sees the cluster");
        Meter.CreateObservableGauge("cowboys_unreachable_members", ObserveUnreachable, description: "Cluster members this process's view marks unreachable");
    }

    public static readonly KeyValuePair<string, object?> ClusterLeader = new("leader", "cluster");
    public static readonly KeyValuePair<string, object?> GameLeader = new("leader", "game");

    /// <summary>The cluster whose membership the gauges report (read at scrape time, not on the game's path).</summary>
    public static void Observe(Cluster cluster)
    {
        _cluster = cluster;
        // a counter is exported from its first Add: show zeros before the first beat, as Prometheus advises
        Beats.Add(0);
        Shots.Add(0);
        Deaths.Add(0);
        LeaderChanges.Add(0, ClusterLeader);
        LeaderChanges.Add(0, GameLeader);
    }

    private static IEnumerable<Measurement<int>> ObserveMembers()
    {
        if (_cluster is not { } cluster) return [];
        var members = cluster.State.Members;
        return Enum.GetValues<MemberStatus>()
            .Select(status => new Measurement<int>(members.Count(m => m.Status == status), new KeyValuePair<string, object?>("status", StatusName(status))));
    }

    private static IEnumerable<Measurement<int>> ObserveUnreachable() =>
        _cluster is { } cluster ? [new Measurement<int>(cluster.State.Unreachable.Count)] : [];

    /// <summary>The status as Akka Management's JSON spells it, lower case: up, joining, leaving, ...</summary>
    public static string StatusName(MemberStatus status) => status.ToString().ToLowerInvariant();
}
