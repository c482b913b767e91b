namespace Cowboys.Operator.Kubernetes;

/// <summary>A write lost a race (409 Conflict on a stale resourceVersion): reconcile again from fresh state.</summary>
public sealed class ConflictException(string message, Exception inner) : Exception(message, inner);
