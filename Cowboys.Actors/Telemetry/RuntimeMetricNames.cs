using OpenTelemetry.Metrics;

namespace Cowboys.Actors.Telemetry;

/// <summary>
/// New names for .NET's runtime gauges whose names end in `.count`: exported to Prometheus as
/// `*_count`, a suffix Prometheus keeps for histograms and summaries, so `promtool check metrics`
/// flags them. The cowboy and the operator both rename them with OpenTelemetry views.
/// </summary>
public static class RuntimeMetricNames
{
    public static readonly IReadOnlyDictionary<string, string> Renames = new Dictionary<string, string>
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers.active",
    };

    public static MeterProviderBuilder RenameRuntimeCounts(this MeterProviderBuilder metrics)
    {
        foreach (var (instrument, name) in Renames) metrics.AddView(instrument, name);
        return metrics;
    }
}
