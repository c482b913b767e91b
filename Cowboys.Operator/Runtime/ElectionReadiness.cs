using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cowboys.Operator.Runtime;

/// <summary>/ready: the operator is ready once it leads (or runs without leader election) and has started its watches.</summary>
internal sealed class ElectionReadiness(OperatorHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.IsStarted ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("not started"));
}
