using System.Net;
using Akka.Actor;
using Akka.Coordination;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Cowboys.Host.Coordination;

/// <summary>
/// The Split Brain Resolver's tie-breaker in Kubernetes, behind Akka.Coordination's Lease API and
/// in the manner of Akka.Coordination.KubernetesApi (not served here): the game's Lease object,
/// taken by writing holderIdentity and renewTime with compare-and-swap on its resourceVersion,
/// renewed every heartbeat-interval, and free again once its holder has not renewed it for
/// heartbeat-timeout.
/// </summary>
public sealed class KubernetesLease : Lease
{
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly string _name;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _interval;
    private readonly object _gate = new();
    private DateTime? _heldUntil;
    private CancellationTokenSource? _renewing;

    public KubernetesLease(LeaseSettings settings, ExtendedActorSystem system) : this(settings, KubernetesClients.FromEnvironment())
    {
        system.WhenTerminated.ContinueWith(_ => Release());
    }

    public KubernetesLease(LeaseSettings settings, IKubernetes client) : base(settings)
    {
        _client = client;
        _namespace = settings.LeaseConfig.GetString("namespace");
        _name = settings.LeaseConfig.GetString("name");
        _timeout = settings.TimeoutSettings.HeartbeatTimeout;
        _interval = settings.TimeoutSettings.HeartbeatInterval;
    }

    public override Task<bool> Acquire() => Acquire(_ => { });

    public override async Task<bool> Acquire(Action<Exception> leaseLostCallback)
    {
        if (!await TakeAsync()) return false;
        StartRenewing(leaseLostCallback);
        return true;
    }

    public override async Task<bool> Release()
    {
        lock (_gate)
        {
            _renewing?.Cancel();
            _renewing = null;
            _heldUntil = null;
        }
        try
        {
            var lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync(_name, _namespace);
            if (lease.Spec?.HolderIdentity != Settings.OwnerName) return true;
            lease.Spec.HolderIdentity = null;
            await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _name, _namespace);
            return true;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            return false; // it expires by itself
        }
    }

    public override bool CheckLease()
    {
        lock (_gate) return _heldUntil is { } until && DateTime.UtcNow < until;
    }

    /// <summary>Takes or renews the Lease: only if it is free, expired or ours, and only if nobody wrote it since we read it.</summary>
    private async Task<bool> TakeAsync()
    {
        try
        {
            var lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync(_name, _namespace);
            var spec = lease.Spec ??= new V1LeaseSpec();
            var now = DateTime.UtcNow;
            var expired = spec.RenewTime is not { } renewed || renewed.ToUniversalTime() + TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? 0) < now;
            if (!string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != Settings.OwnerName && !expired) return false;
            if (spec.HolderIdentity != Settings.OwnerName)
            {
                spec.AcquireTime = now;
                spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
            }
            spec.HolderIdentity = Settings.OwnerName;
            spec.LeaseDurationSeconds = (int)Math.Ceiling(_timeout.TotalSeconds);
            spec.RenewTime = now;
            await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _name, _namespace);
            lock (_gate) _heldUntil = now + _timeout;
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (HttpRequestException)
        {
            return false; // the API server cannot be reached: no tie-break from here
        }
    }

    private void StartRenewing(Action<Exception> leaseLost)
    {
        CancellationTokenSource renewing;
        lock (_gate)
        {
            _renewing?.Cancel();
            renewing = _renewing = new CancellationTokenSource();
        }
        _ = Task.Run(async () =>
        {
            while (!renewing.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_interval, renewing.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (renewing.IsCancellationRequested || await TakeAsync()) continue;
                lock (_gate) _heldUntil = null;
                leaseLost(new InvalidOperationException($"the Lease {_namespace}/{_name} was taken by another holder"));
                return;
            }
        });
    }
}
