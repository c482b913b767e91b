using Cowboys.Actors.Game.Settings;
using System.Threading.Channels;

namespace Cowboys.Operator.Runtime;

/// <summary>
/// controller-runtime's work queue, small: a key is queued at most once, is never handed to two
/// workers at the same time, and a key added while it is being processed is processed again
/// afterwards. Failures come back with exponential backoff and jitter.
/// </summary>
public sealed class WorkQueue<TKey> where TKey : notnull
{
    private readonly Channel<TKey> _ready = Channel.CreateUnbounded<TKey>();
    private readonly HashSet<TKey> _queued = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly HashSet<TKey> _dirty = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    private readonly bool _measured;

    /// <param name="measured">Whether adds count in <see cref="OperatorMetrics"/> (workqueue_adds_total): the operator's queue does.</param>
    public WorkQueue(TimeProvider? time = null, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, bool measured = false)
    {
        _measured = measured;
        _time = time ?? TimeProvider.System;
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
        _maxDelay = maxDelay ?? TimeSpan.FromMinutes(1);
    }

    public void Add(TKey key) => Add(key, count: true);

    /// <summary>Keys waiting to be taken: workqueue_depth.</summary>
    public int Depth
    {
        get
        {
            lock (_lock) return _queued.Count;
        }
    }

    private void Add(TKey key, bool count)
    {
        lock (_lock)
        {
            if (_processing.Contains(key))
            {
                if (_dirty.Add(key) && count && _measured) OperatorMetrics.Added();
                return;
            }
            if (!_queued.Add(key)) return;
        }
        // as client-go counts: a key that was not waiting already
        if (count && _measured) OperatorMetrics.Added();
        _ready.Writer.TryWrite(key);
    }

    public void AddAfter(TKey key, TimeSpan delay, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        _ = Task.Delay(delay, _time, ct).ContinueWith(_ => Add(key), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>The next key to process; the caller must call <see cref="Done"/> with it.</summary>
    public async Task<TKey> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(ct);
            lock (_lock)
            {
                if (!_queued.Remove(key)) continue;
                _processing.Add(key);
                return key;
            }
        }
    }

    public void Done(TKey key)
    {
        bool again;
        lock (_lock)
        {
            _processing.Remove(key);
            again = _dirty.Remove(key);
        }
        if (again) Add(key, count: false); // counted when it was marked dirty
    }

    /// <summary>The delay before retrying a key that failed this many times in a row: base·2^n, capped, ±20%.</summary>
    public TimeSpan Failed(TKey key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }
        return Backoff.Delay(failures, _baseDelay, _maxDelay);
    }

    public void Forget(TKey key)
    {
        lock (_lock) _failures.Remove(key);
    }
}
