using Cowboys.Actors.Telemetry;
using Akka.Actor;
using Akka.Cluster;
using Akka.Discovery;
using Akka.Event;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// Why a cluster did not form (akkadotnet/Akka.Management#924: Cluster Bootstrap says so only at
/// DEBUG, if at all). Until this cowboy is a member, looks the contact points up with the same
/// discovery and lookup bootstrap uses, probes each one's contact-point route, and logs what it
/// found and who did not answer: once, then again only when that changes.
/// </summary>
public static class DiscoveryWatch
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A normal start-up takes 6-10 s on 2 cores, peers still starting: only after this are their failures worth a warning.</summary>
    private static readonly TimeSpan ReportProbesAfter = TimeSpan.FromSeconds(15);

    /// <summary>What discovery found, as one line (pure).</summary>
    public static string Found(IReadOnlyList<string> contactPoints) =>
        contactPoints is null or { Count: 0 } ? "none" : string.Join(", ", contactPoints);

    /// <summary>The contact points that did not answer their probe, with why, as one line; null when all answered (pure).</summary>
    public static string? Rejected(IReadOnlyList<(string ContactPoint, string? Failure)> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var failed = probes.Where(p => p.Failure is not null).Select(p => $"{p.ContactPoint} ({p.Failure})").ToList();
        return failed.Count == 0 ? null : string.Join(", ", failed);
    }

    public static void Start(ActorSystem system, ServiceDiscovery discovery, Lookup lookup, int needed)
    {
        var log = Logging.GetLogger(system, typeof(DiscoveryWatch));
        var cluster = Cluster.Get(system);
        var stop = new CancellationTokenSource();
        system.WhenTerminated.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
        // once a member, formation is over: discovery no longer matters
        cluster.RegisterOnMemberUp(stop.Cancel);
        _ = Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = ProbeTimeout };
            var started = System.Diagnostics.Stopwatch.StartNew();
            string? lastFound = null;
            string? lastRejected = null;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var resolved = await discovery.Lookup(lookup, LookupTimeout);
                    // by host, then port as a number: 127.0.0.1:9000 before 127.0.0.1:10000, as a reader expects
                    var points = resolved.Addresses.OrderBy(a => a.Host, StringComparer.Ordinal).ThenBy(a => a.Port)
                        .Select(a => $"{a.Host}:{a.Port}").ToList();
                    var late = started.Elapsed >= ReportProbesAfter;
                    // bootstrap forms a new cluster only once it has all of them: still short when it is late is worth a warning
                    var shortLate = late && points.Count < needed;
                    var found = Found(points);
                    if (found + shortLate != lastFound)
                    {
                        if (shortLate) log.Warning(LogEvents.ContactPointsFound.Template, points.Count, found, needed);
                        else log.Info(LogEvents.ContactPointsFound.Template, points.Count, found, needed);
                    }
                    lastFound = found + shortLate;
                    if (late)
                    {
                        var probes = await Task.WhenAll(points.Select(async p => (p, await ProbeAsync(http, p, stop.Token))));
                        var rejected = Rejected(probes);
                        if (rejected != lastRejected && rejected is not null) log.Warning(LogEvents.ContactPointsSilent.Template, rejected);
                        lastRejected = rejected;
                    }
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    var found = $"failed: {e.GetType().Name}: {e.Message}";
                    if (found != lastFound) log.Warning(LogEvents.DiscoveryFailing.Template, found);
                    lastFound = found;
                }
                await Task.Delay(Every, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }, CancellationToken.None);
    }

    private static async Task<string?> ProbeAsync(HttpClient http, string contactPoint, CancellationToken cancellation)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{contactPoint}/bootstrap/seed-nodes"), cancellation);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError == HttpRequestError.ConnectionError ? "connection refused" : e.Message;
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return $"no answer within {ProbeTimeout.TotalSeconds:F0} s";
        }
    }
}
