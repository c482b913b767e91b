using Cowboys.Operator.Entities;
using k8s.Models;

namespace Cowboys.Operator.Progress;

/// <summary>The status a Shootout should have now, and the events its change is worth.</summary>
public sealed record Assessment(ShootoutStatus Status, IReadOnlyList<ShootoutEvent> Events);
