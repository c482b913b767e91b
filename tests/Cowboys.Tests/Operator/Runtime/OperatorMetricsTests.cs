using Cowboys.Operator.Entities;
using Xunit;
using Xunit.Abstractions;
using static Cowboys.Tests.Operator.OperatorTestBed;
using Cowboys.Tests.EndToEnd;
using Cowboys.Tests.Host.Inspection;

namespace Cowboys.Tests.Operator.Runtime;

/// <summary>The real operator process against the stand-in API server serves controller-runtime's metrics.</summary>
public sealed class OperatorMetricsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_operator_serves_controller_runtimes_metrics_on_its_metrics_port_and_counts_reconciles()
    {
        await using var bed = await StartAsync(output);
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"operator-{Guid.NewGuid():N}.kubeconfig");
        bed.Server.WriteKubeconfig(kubeconfig);
        var ports = TestPorts.Take(2);
        using var op = PlayRun.Program("Cowboys.Operator", new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["Operator__Identity"] = "operator-metrics",
            ["Operator__LeaderElect"] = "true",
            ["Operator__LeaseNamespace"] = "cowboys-system",
            ["Operator__HttpPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Operator__MetricsPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var metrics = $"http://127.0.0.1:{ports[1]}/metrics";

        // an invalid Shootout: reconciled to Failed without any pod
        bed.Apply("broken", cowboys: """[{"name":"John","heatlh":5,"damage":1}]""");
        await bed.WaitForPhaseAsync("broken", ShootoutPhases.Failed, TimeSpan.FromSeconds(60));
        var scrape = await Eventually.Until(() => http.GetStringAsync(metrics),
            s => PrometheusSample.Parse(s).Any(p => p.Name == "controller_runtime_reconcile_total" && p.Labels["result"] == "success" && p.Value >= 1),
            TimeSpan.FromSeconds(30), "a successful reconcile to be counted", s => $"\n{s}\n{op.Stdout}{op.Stderr}", () => op.HasExited);

        // the real Prometheus's lint, where it is installed (.ci/run installs it)
        if (await Promtool.ProblemsAsync(scrape) is { } problems) Assert.Empty(problems);
        var types = PrometheusSample.Types(scrape);
        Assert.Equal("counter", types["controller_runtime_reconcile_total"]);
        Assert.Equal("counter", types["controller_runtime_reconcile_errors_total"]);
        Assert.Equal("histogram", types["controller_runtime_reconcile_time_seconds"]);
        Assert.Equal("gauge", types["workqueue_depth"]);
        Assert.Equal("counter", types["workqueue_adds_total"]);
        var samples = PrometheusSample.Parse(scrape);
        Assert.Equal(["error", "requeue", "requeue_after", "success"],
            samples.Where(s => s.Name == "controller_runtime_reconcile_total").Select(s => s.Labels["result"]).Order());
        Assert.All(samples.Where(s => s.Name == "controller_runtime_reconcile_total"), s => Assert.Equal("shootout", s.Labels["controller"]));
        Assert.True(samples.Single(s => s.Name == "workqueue_adds_total").Value >= 1);
        Assert.Equal("shootout", samples.Single(s => s.Name == "workqueue_depth").Labels["name"]);
        Assert.True(samples.Single(s => s.Name == "controller_runtime_reconcile_time_seconds_count").Value >= 1);
        // the probes' port does not serve it
        using var onProbePort = await http.GetAsync($"http://127.0.0.1:{ports[0]}/metrics");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, onProbePort.StatusCode);
        // its log holds what it did, not a line per request it served
        Assert.DoesNotContain("Request starting", op.Stdout, StringComparison.Ordinal);
        Assert.Contains("invalid spec", op.Stdout, StringComparison.Ordinal);
        File.Delete(kubeconfig);
    }
}
