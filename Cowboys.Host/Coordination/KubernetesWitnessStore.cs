using System.Globalization;
using System.Net;
using Cowboys.Actors.Protocol;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Cowboys.Actors.Coordination;

namespace Cowboys.Host.Coordination;

/// <summary>
/// The witness of an even roster in Kubernetes: its record lives in annotations of the game's
/// coordination.k8s.io/v1 Lease (which the operator creates), and every change is a
/// compare-and-swap on the Lease's resourceVersion: a write based on a stale read gets 409
/// Conflict from the API server and is read and tried again, so changes are linearizable.
/// </summary>
public sealed class KubernetesWitnessStore(IKubernetes client, string @namespace, string leaseName) : IWitnessStore
{
    public const string PromisedAnnotation = "cowboys.example.com/witness-promised";
    public const string AcceptedAnnotation = "cowboys.example.com/witness-accepted";
    public const string PromisedToAnnotation = "cowboys.example.com/witness-promised-to";

    public async Task<WitnessRecord> UpdateAsync(Func<WitnessRecord, WitnessRecord> change, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, @namespace, cancellationToken: cancellation);
            var current = Read(lease);
            var next = change(current);
            if (next == current) return current;
            Write(lease, next);
            try
            {
                await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, @namespace, cancellationToken: cancellation);
                return next;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 50)
            {
                // somebody changed the Lease since we read it: read it again and decide again
            }
        }
    }

    public static WitnessRecord Read(V1Lease lease)
    {
        var annotations = lease.Metadata?.Annotations;
        if (annotations is null) return WitnessRecord.Empty;
        var promised = annotations.TryGetValue(PromisedAnnotation, out var p) && long.TryParse(p, CultureInfo.InvariantCulture, out var pv) ? pv : 0;
        var accepted = Position.Start;
        if (annotations.TryGetValue(AcceptedAnnotation, out var a) && a.Split('/') is [var epoch, var beat]
            && long.TryParse(epoch, CultureInfo.InvariantCulture, out var ev) && int.TryParse(beat, CultureInfo.InvariantCulture, out var bv))
        {
            accepted = new Position(ev, bv);
        }
        var promisedTo = annotations.TryGetValue(PromisedToAnnotation, out var to) && to.Length > 0 ? to : null;
        return new WitnessRecord(promised, promisedTo, accepted);
    }

    private static void Write(V1Lease lease, WitnessRecord record)
    {
        lease.Metadata ??= new V1ObjectMeta();
        lease.Metadata.Annotations ??= new Dictionary<string, string>();
        lease.Metadata.Annotations[PromisedAnnotation] = record.Promised.ToString(CultureInfo.InvariantCulture);
        lease.Metadata.Annotations[PromisedToAnnotation] = record.PromisedTo ?? "";
        lease.Metadata.Annotations[AcceptedAnnotation] = string.Create(CultureInfo.InvariantCulture, $"{record.Accepted.Epoch}/{record.Accepted.Beat}");
    }
}
