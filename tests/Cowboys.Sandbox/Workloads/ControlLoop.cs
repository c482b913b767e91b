using Cowboys.Sandbox.Api;

namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// Level-triggered reconciling: look at everything, act, then wait for the next write to the
/// store (or a requeue deadline) and look again. One loop per controller, no event handlers.
/// </summary>
internal static class ControlLoop
{
    public static Task Run(ApiServer server, string name, Func<DateTimeOffset, TimeSpan?> reconcile, Action<string> log, CancellationToken ct) =>
        Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested)
            {
                var seen = server.ResourceVersion;
                TimeSpan? requeue;
                try
                {
                    requeue = reconcile(DateTimeOffset.UtcNow);
                }
                catch (ApiError e) when (e.Code is 404 or 409)
                {
                    // raced with another writer: look again at once
                    requeue = TimeSpan.FromMilliseconds(20);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log($"{name}: {e}");
                    requeue = TimeSpan.FromSeconds(1);
                }
                var wait = requeue is { } r ? TimeSpan.FromTicks(Math.Clamp(r.Ticks, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMinutes(1).Ticks)) : TimeSpan.FromMinutes(1);
                try
                {
                    await server.WaitUntilAsync(() => server.ResourceVersion != seen, wait, "a change", ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, CancellationToken.None);
}
