using System.Diagnostics.Metrics;

namespace Cowboys.Operator.Runtime;

/// <summary>
/// The operator's instruments, named as controller-runtime names its own so that dashboards and
/// alerts written for Go operators work unchanged. The OpenTelemetry Prometheus exporter adds
/// <c>_total</c> to counters and <c>_seconds</c> for the unit "s", so the names here carry neither.
/// </summary>
public static class OperatorMetrics
{
    public const string MeterName = "Cowboys.Operator";
    public const string Controller = "shootout";

    public const string Success = "success";
    public const string Error = "error";
    public const string Requeue = "requeue";
    public const string RequeueAfter = "requeue_after";

    private static readonly Meter Meter = new(MeterName, typeof(OperatorMetrics).Assembly.GetName().Version?.ToString());

    private static readonly KeyValuePair<string, object?> ControllerTag = new("controller", Controller);
    private static readonly KeyValuePair<string, object?> QueueTag = new("name", Controller);

    private static readonly Counter<long> Reconciles = Meter.CreateCounter<long>("controller_runtime_reconcile", description: "Total number of reconciliations per controller");
    private static readonly Counter<long> ReconcileErrors = Meter.CreateCounter<long>("controller_runtime_reconcile_errors", description: "Total number of reconciliation errors per controller");
    private static readonly Histogram<double> ReconcileTime = Meter.CreateHistogram("controller_runtime_reconcile_time", unit: "s",
        description: "Length of time per reconciliation per controller",
        // controller-runtime's buckets
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60] });
    private static readonly Counter<long> QueueAdds = Meter.CreateCounter<long>("workqueue_adds", description: "Total number of adds handled by workqueue");

    private static volatile Func<int>? _depth;

    static OperatorMetrics()
    {
        Meter.CreateObservableGauge("workqueue_depth", () => _depth is { } depth ? [new Measurement<int>(depth(), QueueTag)] : Array.Empty<Measurement<int>>(),
            description: "Current depth of workqueue");
        // exported from the start, at zero, as controller-runtime does
        foreach (var result in new[] { Success, Error, Requeue, RequeueAfter }) Reconciles.Add(0, ControllerTag, new("result", result));
        ReconcileErrors.Add(0, ControllerTag);
        QueueAdds.Add(0, QueueTag);
    }

    /// <summary>The work queue whose depth the gauge reports: the one of the operator leading now.</summary>
    public static void Observe(Func<int>? depth) => _depth = depth;

    public static void Reconciled(string result, TimeSpan took)
    {
        Reconciles.Add(1, ControllerTag, new("result", result));
        if (result == Error) ReconcileErrors.Add(1, ControllerTag);
        ReconcileTime.Record(took.TotalSeconds, ControllerTag);
    }

    public static void Added() => QueueAdds.Add(1, QueueTag);
}
