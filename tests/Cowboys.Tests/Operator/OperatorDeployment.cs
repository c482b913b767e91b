using Cowboys.Tests.EndToEnd;

namespace Cowboys.Tests.Operator;

/// <summary>
/// An operator process kept running the way its Deployment keeps its pod's container running:
/// when the process exits (it exits on purpose when it loses its leader election Lease, so that a
/// fresh process rejoins the election), a new one is started with the same identity. Without
/// this, an operator that lost its Lease on a loaded machine left the Shootout unwatched.
/// </summary>
public sealed class OperatorDeployment : IDisposable
{
    private readonly Func<PlayRun> _start;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<PlayRun> _runs = new();
    private readonly Task _supervising;

    public OperatorDeployment(Func<PlayRun> start)
    {
        _start = start;
        lock (_runs) _runs.Add(start());
        _supervising = Task.Run(SuperviseAsync);
    }

    public PlayRun Current
    {
        get
        {
            lock (_runs) return _runs[^1];
        }
    }

    public int Restarts
    {
        get
        {
            lock (_runs) return _runs.Count - 1;
        }
    }

    /// <summary>Every process's output, oldest first, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_runs) return string.Join("\n", _runs.Select((r, i) => $"-- process {i + 1} (exited: {r.HasExited}):\n{r.Stdout}{r.Stderr}"));
        }
    }

    private async Task SuperviseAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var current = Current;
            try
            {
                await current.ExitCodeAsync(Timeout.InfiniteTimeSpan).WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (_stopping.IsCancellationRequested) return;
            lock (_runs) _runs.Add(_start());
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _supervising.Wait(TimeSpan.FromSeconds(10));
        lock (_runs)
        {
            foreach (var run in _runs) run.Dispose();
        }
    }
}
