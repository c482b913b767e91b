using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cowboys.Operator.Runtime;

/// <summary>
/// Runs the operator loop only while this replica holds the Lease, so two replicas never both
/// act. A replica that loses the Lease stops its loop and exits (non-zero), like
/// controller-runtime's managers: its Deployment starts it again as a follower.
/// </summary>
public sealed class LeaderElectedOperator(
    IKubernetes api,
    OperatorOptions options,
    ILoggerFactory logs,
    IHostApplicationLifetime lifetime,
    OperatorHealth health) : BackgroundService
{
    private readonly ILogger _log = logs.CreateLogger<LeaderElectedOperator>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var leaseLock = new LeaseLock(api, options.LeaseNamespace, options.LeaseName, options.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        var leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () => leading.TrySetResult();
        elector.OnNewLeader += leader => _log.LogInformation("the leader is {Leader}", leader);
        elector.OnError += e => _log.LogWarning("leader election: {Error}", e.Message);

        health.Started();
        _log.LogInformation("{Identity} is waiting for Lease {Ns}/{Lease}", options.Identity, options.LeaseNamespace, options.LeaseName);
        var election = elector.RunUntilLeadershipLostAsync(stoppingToken);
        await Task.WhenAny(leading.Task, election);
        if (leading.Task.IsCompleted)
        {
            _log.LogInformation("{Identity} leads", options.Identity);
            using var leadership = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            health.Leading(true);
            var loop = new ShootoutOperator(api, options, logs).RunAsync(leadership.Token);
            await Task.WhenAny(loop, election);
            await leadership.CancelAsync();
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                health.Leading(false);
            }
        }
        try
        {
            await election;
        }
        catch (OperationCanceledException)
        {
        }
        if (!stoppingToken.IsCancellationRequested)
        {
            _log.LogWarning("{Identity} lost the Lease; exiting so that a fresh process rejoins the election", options.Identity);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }
}

/// <summary>What /ready reports (the process takes part in the election) and whether this replica leads.</summary>
public sealed class OperatorHealth
{
    private volatile bool _started;
    private volatile bool _leading;

    public bool IsStarted => _started;

    /// <summary>True while this replica's watch-and-reconcile loop runs.</summary>
    public bool IsLeading => _leading;

    public void Started() => _started = true;

    public void Leading(bool leading) => _leading = leading;
}
