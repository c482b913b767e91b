using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Cowboys.Host.Coordination;

/// <summary>
/// Which process is each cowboy's first in a Kubernetes game, recorded in an annotation of the
/// game's Lease (one per roster index), written once by compare-and-swap on the Lease's
/// resourceVersion. A pod keeps its replica in memory, so a replacement pod cannot know what the
/// pod before it promised; it finds the claim taken and does not vote
/// (<see cref="Actors.Protocol.VotingRight"/>). Claimed before the cowboy answers anybody.
/// </summary>
public sealed class KubernetesIncarnationClaim(IKubernetes client, string @namespace, string leaseName)
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    public static string AnnotationFor(int cowboyIndex) => string.Create(CultureInfo.InvariantCulture, $"cowboys.example.com/first-incarnation-{cowboyIndex}");

    /// <summary>A claimant name no other process can have: the pod's name and a fresh random id.</summary>
    public static string NewClaimant() => $"{Environment.MachineName}/{Guid.NewGuid():N}";

    /// <summary>
    /// True if this claimant is (now) the cowboy's first process in the game, false if another
    /// was. Waits while the Lease does not exist or the API server cannot be reached, saying so once.
    /// </summary>
    public async Task<bool> ClaimAsync(int cowboyIndex, string claimant, Action<string> waiting, CancellationToken cancellation)
    {
        var key = AnnotationFor(cowboyIndex);
        var said = false;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, @namespace, cancellationToken: cancellation);
                var annotations = (lease.Metadata ??= new V1ObjectMeta()).Annotations ??= new Dictionary<string, string>();
                if (annotations.TryGetValue(key, out var first)) return first == claimant;
                annotations[key] = claimant;
                await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, @namespace, cancellationToken: cancellation);
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                continue; // the Lease changed since we read it: read it again and decide again
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                if (!said) waiting($"cannot claim {key} on Lease {@namespace}/{leaseName} yet ({Describe(e)}): trying again every {RetryEvery.TotalSeconds:F0} s");
                said = true;
            }
            await Task.Delay(RetryEvery, cancellation);
        }
    }

    private static string Describe(Exception e) => e is HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Response.StatusCode}" : e.Message;
}
