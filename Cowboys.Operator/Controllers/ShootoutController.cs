using Cowboys.Operator.Runtime;
using Cowboys.Operator.Desired;
using Cowboys.Operator.Entities;
using Cowboys.Operator.Kubernetes;
using Cowboys.Operator.Progress;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Cowboys.Operator.Controllers;

/// <summary>
/// Reconcile(namespace/name), level-triggered like controller-runtime's: it reads the Shootout
/// and what exists, creates what is missing (deterministic names, AlreadyExists is success) and
/// writes the status the pure <see cref="ShootoutProgress"/> computes. Running it twice, or
/// after a crash half-way, converges to the same objects. A finished Shootout is never touched.
/// </summary>
public sealed class ShootoutController(IShootoutClient client, IGameProbe probe, OperatorOptions options, TimeProvider time, ILogger<ShootoutController> log)
{
    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken ct)
    {
        var shootout = await client.GetShootoutAsync(ns, name, ct);
        if (shootout is null || shootout.Metadata.DeletionTimestamp is not null) return ReconcileResult.Done;
        // an ended game, won or failed, leaves no Job running past the grace
        if (ShootoutPhases.IsTerminal(shootout.Status?.Phase)) return await SweepAsync(shootout, ct);
        try
        {
            return await PlayAsync(shootout, ct);
        }
        catch (Exception e) when (ApiRefusal.Of(e) is { } refusal)
        {
            log.Refused(ns, name, refusal.Message);
            var now = Now();
            var assessment = ShootoutProgress.Refused(shootout, refusal.Reason, refusal.Message, now);
            foreach (var ev in assessment.Events)
            {
                try
                {
                    await client.RecordEventAsync(EventObjects.For(shootout, ev, now, options.Identity), ct);
                }
                catch (Exception refused) when (ApiRefusal.Of(refused) is not null)
                {
                    // events may be refused too (no grant, a quota): the status still tells
                    log.EventRefused(ns, name, refused.Message);
                }
            }
            await client.ReplaceStatusAsync(shootout with { Status = assessment.Status }, ct);
            return ReconcileResult.Done;
        }
    }

    private async Task<ReconcileResult> PlayAsync(Shootout shootout, CancellationToken ct)
    {
        var (ns, name) = (shootout.Metadata.NamespaceProperty, shootout.Metadata.Name);
        var now = Now();

        var existing = await client.GetConfigMapAsync(ns, Names.Roster(name), ct);
        GamePlan plan;
        var specIgnored = false;
        long? plannedFrom = null;
        if (existing is not null)
        {
            if (!IsOwnedBy(existing.Metadata, shootout))
            {
                log.WaitingForOldRoster(ns, name, existing.Metadata.Name);
                return ReconcileResult.After(TimeSpan.FromSeconds(2));
            }
            // the game was set up: the ConfigMap is the truth from now on, whatever the spec says
            plan = GamePlan.FromConfigMapData(name, existing.Data)
                ?? throw new InvalidOperationException($"ConfigMap {ns}/{existing.Metadata.Name} does not hold a game");
            string? plannedText = null;
            existing.Metadata.Annotations?.TryGetValue(DesiredObjects.GenerationAnnotation, out plannedText);
            plannedFrom = long.TryParse(plannedText, out var g) ? g : shootout.Metadata.Generation ?? 1;
            specIgnored = shootout.Metadata.Generation > plannedFrom;
        }
        else
        {
            var (fromSpec, error) = GamePlan.FromSpec(shootout);
            if (fromSpec is null)
            {
                log.InvalidSpec(ns, name, error);
                await WriteAsync(shootout, ShootoutProgress.Invalid(shootout, error!, now), now, ct);
                return ReconcileResult.Done;
            }
            plan = fromSpec;
        }

        var desired = DesiredObjects.For(shootout, plan, options);
        var observed = Owned(await client.ObserveAsync(ns, name, ct), shootout);

        if (existing is null) await CreateAsync(desired.Roster, ct);
        // level-triggered in every phase: a grant deleted or changed mid-game would cut the cowboys off
        // (discovery, the witness, the vote claims), so it is created again or corrected
        await EnsureAsync<V1ServiceAccount>(desired.ServiceAccount, ct);
        await EnsureAsync<V1Role>(desired.Role, ct);
        await EnsureAsync<V1RoleBinding>(desired.RoleBinding, ct);
        // created only: its annotations and spec are the game's witness and tie-break
        await EnsureAsync<V1Lease>(desired.TieBreak, ct);
        var have = observed.Jobs.Select(j => j.Metadata.Name).ToHashSet();
        var created = 0;
        foreach (var job in desired.Jobs.Where(j => !have.Contains(j.Metadata.Name)))
        {
            if (await CreateAsync(job, ct)) created++;
        }
        if (created > 0) observed = Owned(await client.ObserveAsync(ns, name, ct), shootout);

        var live = await ProbeAsync(observed, ct);
        var assessment = ShootoutProgress.Assess(shootout, plan, observed, now, specIgnored, live, plannedFrom);
        await WriteAsync(shootout, assessment, now, ct);
        return assessment.Status.Phase switch
        {
            ShootoutPhases.Finished => ShootoutProgress.Stragglers(observed).Count > 0 ? ReconcileResult.After(options.StragglerGrace) : ReconcileResult.Done,
            ShootoutPhases.Failed => ShootoutProgress.Stragglers(observed).Count > 0 ? ReconcileResult.After(options.StragglerGrace) : ReconcileResult.Done,
            ShootoutPhases.Running => ReconcileResult.After(options.ProgressInterval),
            _ => ReconcileResult.After(options.Resync),
        };
    }

    /// <summary>
    /// An ended game whose Jobs have not all ended: a cowboy whose pod died after the end waits in
    /// vain in a replacement pod, or a failed game's cowboys wait for peers that will not come.
    /// After <see cref="OperatorOptions.StragglerGrace"/> their Jobs are deleted; a result, reported
    /// by a majority, stands (decision 0014).
    /// </summary>
    private async Task<ReconcileResult> SweepAsync(Shootout shootout, CancellationToken ct)
    {
        var (ns, name) = (shootout.Metadata.NamespaceProperty, shootout.Metadata.Name);
        var stragglers = ShootoutProgress.Stragglers(Owned(await client.ObserveAsync(ns, name, ct), shootout));
        if (stragglers.Count == 0) return ReconcileResult.Done;
        var decided = shootout.Status?.CompletionTime is { } t ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc)) : Now();
        var wait = decided + options.StragglerGrace - Now();
        if (wait > TimeSpan.Zero) return ReconcileResult.After(wait);
        foreach (var job in stragglers)
        {
            try
            {
                await client.DeleteJobAsync(ns, job.Metadata.Name, job.Metadata.Uid, ct);
            }
            catch (Exception e) when (ApiRefusal.Of(e) is { } refusal)
            {
                // the result stands; the Job's activeDeadlineSeconds ends it instead
                log.CannotDeleteJob(ns, name, job.Metadata.Name, refusal.Message);
                continue;
            }
            log.DeletedStraggler(ns, name, job.Metadata.Name, ShootoutProgress.CowboyOf(job.Metadata));
        }
        return ReconcileResult.Done;
    }

    /// <summary>Progress from the first ready cowboy that answers; any of them has the committed game.</summary>
    private async Task<Cowboys.Actors.Game.Results.GameView?> ProbeAsync(Observed observed, CancellationToken ct)
    {
        var ready = observed.Pods
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Take(2);
        foreach (var pod in ready)
        {
            if (await probe.ReadAsync(pod, ct) is { } view) return view;
        }
        return null;
    }

    private async Task EnsureAsync<T>(T desired, CancellationToken ct) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (ns, name) = (desired.Metadata.NamespaceProperty, desired.Metadata.Name);
        var actual = await client.GetAsync<T>(ns, name, ct);
        if (actual is null)
        {
            await CreateAsync(desired, ct);
            return;
        }
        if (actual is V1RoleBinding binding && Drift.PointsElsewhere((V1RoleBinding)(object)desired, binding))
        {
            log.RoleBindingElsewhere(ns, name);
            return;
        }
        if (Drift.Correction(desired, actual) is not { } correction) return;
        await client.ReplaceAsync(correction, ct);
        log.Corrected(desired.Kind, ns, name);
    }

    private async Task<bool> CreateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        if (!await client.CreateAsync(obj, ct)) return false;
        log.Created(obj.Kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        return true;
    }

    /// <summary>
    /// Events first, then the status that reports the change: an operator that dies in between
    /// computes the same transition again and its events get AlreadyExists (their names are
    /// deterministic), so none is lost and none is doubled.
    /// </summary>
    private async Task WriteAsync(Shootout shootout, Assessment assessment, DateTime now, CancellationToken ct)
    {
        foreach (var e in assessment.Events)
        {
            await client.RecordEventAsync(EventObjects.For(shootout, e, now, options.Identity), ct);
        }
        if (!SameStatus(shootout.Status, assessment.Status))
        {
            await client.ReplaceStatusAsync(shootout with { Status = assessment.Status }, ct);
            if (shootout.Status?.Phase != assessment.Status.Phase)
            {
                log.PhaseChanged(shootout.Metadata.NamespaceProperty, shootout.Metadata.Name,
                    shootout.Status?.Phase ?? "(new)", assessment.Status.Phase, assessment.Status.Message);
            }
        }
    }

    private static bool SameStatus(ShootoutStatus? a, ShootoutStatus b) =>
        a is not null && KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);

    private static bool IsOwnedBy(V1ObjectMeta meta, Shootout shootout) =>
        meta.OwnerReferences?.Any(o => o.Controller == true && o.Uid == shootout.Metadata.Uid) == true;

    /// <summary>Only this Shootout's Jobs (not a deleted namesake's) and the pods of those Jobs.</summary>
    private static Observed Owned(Observed observed, Shootout shootout)
    {
        var jobs = observed.Jobs.Where(j => IsOwnedBy(j.Metadata, shootout)).ToList();
        var uids = jobs.Select(j => j.Metadata.Uid).ToHashSet();
        var pods = observed.Pods.Where(p => p.Metadata.OwnerReferences?.Any(o => uids.Contains(o.Uid)) == true).ToList();
        return new Observed(jobs, pods);
    }

    /// <summary>The API stores times to the second; so does the status, or every reconcile would see a change.</summary>
    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
