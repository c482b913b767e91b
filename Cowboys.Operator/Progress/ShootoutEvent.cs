using Cowboys.Operator.Entities;
using k8s.Models;

namespace Cowboys.Operator.Progress;

/// <summary>A Kubernetes Event to record on the Shootout (shown by kubectl describe).</summary>
public sealed record ShootoutEvent(string Type, string Reason, string Message)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
