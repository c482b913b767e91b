using Microsoft.Extensions.Logging;

namespace Cowboys.Operator.Runtime;

/// <summary>
/// Every event the operator logs, declared once with its own EventId (4xxx) and named fields
/// (source-generated: no boxing, no template parsing at run time), as the cowboys' are in
/// Cowboys.Actors' LogEvents.
/// </summary>
internal static partial class OperatorLog
{
    // ---- reconciling a Shootout ----
    [LoggerMessage(4001, LogLevel.Warning, "{Ns}/{Name}: {Message}")]
    public static partial void Refused(this ILogger log, string? ns, string name, string message);

    [LoggerMessage(4002, LogLevel.Warning, "{Ns}/{Name}: the event was refused too: {Error}")]
    public static partial void EventRefused(this ILogger log, string? ns, string name, string error);

    [LoggerMessage(4003, LogLevel.Information, "{Ns}/{Name}: waiting for {ConfigMap}, which belongs to an older Shootout, to be deleted")]
    public static partial void WaitingForOldRoster(this ILogger log, string? ns, string name, string configMap);

    [LoggerMessage(4004, LogLevel.Warning, "{Ns}/{Name}: invalid spec: {Error}")]
    public static partial void InvalidSpec(this ILogger log, string? ns, string name, string? error);

    [LoggerMessage(4005, LogLevel.Warning, "{Ns}/{Name}: cannot delete Job {Job}: {Message}")]
    public static partial void CannotDeleteJob(this ILogger log, string? ns, string name, string job, string message);

    [LoggerMessage(4006, LogLevel.Information, "{Ns}/{Name}: deleted Job {Job}: the game was decided without cowboy {Cowboy}")]
    public static partial void DeletedStraggler(this ILogger log, string? ns, string name, string job, string? cowboy);

    [LoggerMessage(4007, LogLevel.Warning, "RoleBinding {Ns}/{Name} points at another role, which the API does not let change: delete it to have it created again")]
    public static partial void RoleBindingElsewhere(this ILogger log, string? ns, string name);

    [LoggerMessage(4008, LogLevel.Information, "corrected {Kind} {Ns}/{Name}, changed since it was created")]
    public static partial void Corrected(this ILogger log, string? kind, string? ns, string name);

    [LoggerMessage(4009, LogLevel.Information, "created {Kind} {Ns}/{Name}")]
    public static partial void Created(this ILogger log, string? kind, string? ns, string name);

    [LoggerMessage(4010, LogLevel.Information, "{Ns}/{Name}: {Old} -> {New}: {Message}")]
    public static partial void PhaseChanged(this ILogger log, string? ns, string name, string old, string? @new, string? message);

    // ---- the work queue and the watches ----
    [LoggerMessage(4101, LogLevel.Information, "watching Shootouts in {Scope}")]
    public static partial void Watching(this ILogger log, string scope);

    [LoggerMessage(4102, LogLevel.Debug, "{Key}: {Message}; reconciling again")]
    public static partial void ReconcilingAgain(this ILogger log, ShootoutKey key, string message);

    [LoggerMessage(4103, LogLevel.Warning, "{Key}: reconcile failed: {Error}; retrying in {Delay:0.0}s")]
    public static partial void ReconcileFailed(this ILogger log, ShootoutKey key, string error, double delay);

    [LoggerMessage(4104, LogLevel.Information, "{What}: resourceVersion {Version} is gone (410); listing again")]
    public static partial void WatchExpired(this ILogger log, string what, string? version);

    [LoggerMessage(4105, LogLevel.Warning, "{What}: {Error}; retrying in {Delay:0.0}s")]
    public static partial void WatchFailed(this ILogger log, string what, string error, double delay);

    // ---- leader election ----
    [LoggerMessage(4201, LogLevel.Information, "leader election is off: {Identity} reconciles on its own (run with --leader-elect when more than one replica may run, as the Deployment in manifests/operator does)")]
    public static partial void ElectionOff(this ILogger log, string identity);

    [LoggerMessage(4202, LogLevel.Information, "the leader is {Leader}")]
    public static partial void NewLeader(this ILogger log, string leader);

    [LoggerMessage(4203, LogLevel.Warning, "leader election: {Error} (is the API server reachable, and may {Identity} get, create and update leases in {Ns}? trying again every {Retry} s)")]
    public static partial void ElectionError(this ILogger log, string error, string identity, string ns, double retry);

    [LoggerMessage(4204, LogLevel.Error, "the leader election namespace {Ns} does not exist: create it, set Operator__LeaseNamespace to the operator's namespace, or run without --leader-elect")]
    public static partial void NoLeaseNamespace(this ILogger log, string ns);

    [LoggerMessage(4205, LogLevel.Information, "{Identity} is waiting for Lease {Ns}/{Lease}")]
    public static partial void WaitingForLease(this ILogger log, string identity, string ns, string lease);

    [LoggerMessage(4206, LogLevel.Information, "{Identity} leads")]
    public static partial void Leads(this ILogger log, string identity);

    [LoggerMessage(4207, LogLevel.Warning, "{Identity} lost the Lease; exiting so that a fresh process rejoins the election")]
    public static partial void LostLease(this ILogger log, string identity);

    [LoggerMessage(4208, LogLevel.Warning, "leader election: cannot check Lease {Ns}/{Lease}: {Error} (is the API server reachable, and may {Identity} create leases there?); trying again in {Retry} s")]
    public static partial void CannotCheckLease(this ILogger log, string ns, string lease, string error, string identity, double retry);
}
