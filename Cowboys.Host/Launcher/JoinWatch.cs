using System.Collections.Immutable;
using System.Globalization;

namespace Cowboys.Host.Launcher;

/// <summary>
/// Which cowboys have joined the cluster: each running cowboy's `GET /ready` (his member is Up)
/// is read until it first answers, and then never again. What <see cref="Supervisor"/> starts
/// the next wave on; used only when there is more than one.
/// </summary>
public sealed class JoinWatch : IDisposable
{
    /// <summary>Often enough that a wave waits little once the last one is up; only cowboys that have not joined are asked.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient _http = new() { Timeout = GamePoller.RequestTimeout };
    private ImmutableHashSet<string> _joined = [];

    public IReadOnlySet<string> Joined => Volatile.Read(ref _joined);

    /// <summary>Watches each cowboy (his name, HTTP port, and whether his process runs) until he has joined, or until stopped.</summary>
    public Task RunAsync(IEnumerable<(string Name, int Port, Func<bool> Running)> cowboys, CancellationToken stop) =>
        Task.WhenAll(cowboys.Select(c => Task.Run(() => WatchAsync(c.Name, c.Port, c.Running, stop), CancellationToken.None)));

    private async Task WatchAsync(string name, int port, Func<bool> running, CancellationToken stop)
    {
        var uri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/ready");
        while (!stop.IsCancellationRequested)
        {
            if (running() && await IsReadyAsync(uri, stop))
            {
                ImmutableInterlocked.Update(ref _joined, j => j.Add(name));
                return;
            }
            try
            {
                await Task.Delay(Every, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> IsReadyAsync(Uri uri, CancellationToken stop)
    {
        try
        {
            using var response = await _http.GetAsync(uri, stop);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();
}
