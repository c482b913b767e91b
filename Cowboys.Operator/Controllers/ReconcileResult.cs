using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Cowboys.Operator.Controllers;

/// <summary>What a reconcile asks of the queue: nothing, or another look after a while.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static readonly ReconcileResult Done = new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
