using System.Globalization;
using Cowboys.Actors.Game.Results;

namespace Cowboys.Host.Launcher;

/// <summary>
/// `play`'s one source of what the game is doing: every running cowboy's `GET /game`, read every
/// <see cref="Every"/> with a short timeout, each cowboy on his own so that a frozen one delays
/// nobody else, folded into a <see cref="GameSight"/> that the supervisor and the live view read.
/// </summary>
public sealed class GamePoller(int cowboys) : IDisposable
{
    /// <summary>How often each cowboy is read: every 100 ms, less often in a large game, so that `play` asks about 100 times a second in all.</summary>
    public TimeSpan Every { get; } = IntervalFor(cowboys);

    public static TimeSpan IntervalFor(int cowboys) => TimeSpan.FromMilliseconds(Math.Max(100, 10 * cowboys));

    /// <summary>A cowboy that has not answered by then counts as not answering (frozen, or too busy).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(400);

    private readonly HttpClient _http = new() { Timeout = RequestTimeout };
    private readonly object _lock = new();
    private GameSight _sight = GameSight.None;

    public GameSight Sight
    {
        get
        {
            lock (_lock) return _sight;
        }
    }

    /// <summary>Reads each cowboy (his name, HTTP port, and whether his process runs) until stopped.</summary>
    public Task RunAsync(IEnumerable<(string Name, int Port, Func<bool> Running)> cowboys, CancellationToken stop) =>
        Task.WhenAll(cowboys.Select(c => Task.Run(() => PollAsync(c.Name, c.Port, c.Running, stop), CancellationToken.None)));

    private async Task PollAsync(string name, int port, Func<bool> running, CancellationToken stop)
    {
        var uri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/game");
        while (!stop.IsCancellationRequested)
        {
            var view = running() ? await ReadAsync(uri, stop) : null;
            if (stop.IsCancellationRequested) return;
            lock (_lock) _sight = _sight.Read(name, view);
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

    private async Task<GameView?> ReadAsync(Uri uri, CancellationToken stop)
    {
        try
        {
            return GameView.TryParse(await _http.GetStringAsync(uri, stop));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
