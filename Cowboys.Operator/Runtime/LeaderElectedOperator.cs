using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cowboys.Operator.Runtime;

/// <summary>
/// With leader election (--leader-elect), runs the operator loop only while this replica holds
/// the Lease, so two replicas never both act. A replica that loses the Lease stops its loop and
/// exits (non-zero), like controller-runtime's managers: its Deployment starts it again as a
/// follower. A Lease namespace that does not exist stops it at once, saying what to do, as
/// controller-runtime refuses to start. Without leader election (a local run) the loop runs at once.
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
        if (!options.LeaderElect)
        {
            _log.ElectionOff(options.Identity);
            health.Started();
            health.Leading(true);
            try
            {
                await new ShootoutOperator(api, options, logs).RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            finally
            {
                health.Leading(false);
            }
            return;
        }
        await ElectedAsync(stoppingToken);
    }

    private async Task ElectedAsync(CancellationToken stoppingToken)
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
        elector.OnNewLeader += leader => _log.NewLeader(leader);
        elector.OnError += e =>
        {
            _log.ElectionError(                Describe(e), options.Identity, options.LeaseNamespace, options.RetryPeriod.TotalSeconds);
        };

        // the client's elector swallows a refused create, so a Lease namespace that does not exist would mean waiting forever
        if (!await LeaseNamespaceExistsAsync(stoppingToken))
        {
            _log.NoLeaseNamespace(options.LeaseNamespace);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }
        health.Started();
        _log.WaitingForLease(options.Identity, options.LeaseNamespace, options.LeaseName);
        var election = elector.RunUntilLeadershipLostAsync(stoppingToken);
        await Task.WhenAny(leading.Task, election);
        if (leading.Task.IsCompleted)
        {
            _log.Leads(options.Identity);
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
            _log.LostLease(options.Identity);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Whether the Lease's namespace exists, asked without rights on namespaces: a dry-run create
    /// of the Lease (nothing is stored) is refused with 404 only for a missing namespace, with 409
    /// if the Lease is there. Other API errors are said and retried: the election cannot start
    /// without an answer.
    /// </summary>
    private async Task<bool> LeaseNamespaceExistsAsync(CancellationToken stopping)
    {
        var probe = new k8s.Models.V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new k8s.Models.V1ObjectMeta { Name = options.LeaseName, NamespaceProperty = options.LeaseNamespace },
        };
        while (true)
        {
            try
            {
                await api.CoordinationV1.CreateNamespacedLeaseAsync(probe, options.LeaseNamespace, dryRun: "All", cancellationToken: stopping);
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                return true; // the Lease is there
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return false; // the only reason a create of a free name is not found
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                _log.CannotCheckLease(                    options.LeaseNamespace, options.LeaseName, Describe(e), options.Identity, options.RetryPeriod.TotalSeconds);
            }
            await Task.Delay(options.RetryPeriod, stopping);
        }
    }

    private static string Describe(Exception e) => e is HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Response.StatusCode}: {e.Message}" : e.Message;
}
