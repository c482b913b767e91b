using Cowboys.Operator.Entities;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Cowboys.Operator.Runtime;

/// <summary>The key of one Shootout in the work queue.</summary>
public readonly record struct ShootoutKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
