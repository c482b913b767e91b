using Cowboys.Operator.Entities;
using k8s.Models;

namespace Cowboys.Operator.Progress;

/// <summary>What the operator saw of one Shootout's Jobs and pods.</summary>
public sealed record Observed(IReadOnlyList<V1Job> Jobs, IReadOnlyList<V1Pod> Pods)
{
    public static readonly Observed Nothing = new([], []);
}
