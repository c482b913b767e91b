using Cowboys.Actors.Game.Settings;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Cowboys.Operator.Runtime;

/// <summary>
/// An informer without a cache: list, then watch from the list's resourceVersion with bookmarks,
/// re-list when the server says 410 Gone, and back off with jitter on errors. Every object seen
/// (added, modified, deleted, or present at a re-list) is handed to <c>onObject</c>; the
/// reconcile reads fresh state itself, so nothing here needs to be remembered but the version.
/// </summary>
public sealed class ResourceWatcher<T, TList>(
    string what,
    Func<CancellationToken, Task<TList>> list,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> watch,
    Action<T> onObject,
    ILogger log)
    where T : IKubernetesObject<V1ObjectMeta>
    where TList : IKubernetesObject<V1ListMeta>, IItems<T>
{
    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var listed = await list(ct);
                foreach (var item in listed.Items) onObject(item);
                var version = listed.Metadata.ResourceVersion;
                failures = 0;
                while (!ct.IsCancellationRequested)
                {
                    var (next, gone) = await WatchOnceAsync(version, ct);
                    if (gone)
                    {
                        log.WatchExpired(what, version);
                        break;
                    }
                    version = next;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                var delay = Backoff.Delay(failures, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));
                log.WatchFailed(what, e.Message, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One watch request until the server ends it. Returns the last version seen, or gone = true on 410.</summary>
    private async Task<(string Version, bool Gone)> WatchOnceAsync(string version, CancellationToken ct)
    {
        Exception? error = null;
        await foreach (var (type, item) in watch(version, e => error ??= e, ct))
        {
            if (item?.Metadata?.ResourceVersion is { } rv) version = rv;
            if (type is WatchEventType.Bookmark or WatchEventType.Error) continue;
            onObject(item!);
        }
        return error switch
        {
            null => (version, false),
            KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => (version, true),
            HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } => (version, true),
            _ => throw error,
        };
    }
}
