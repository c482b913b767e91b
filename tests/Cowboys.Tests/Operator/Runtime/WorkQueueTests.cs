using Cowboys.Actors.Game.Settings;
using Cowboys.Operator.Runtime;
using Xunit;

namespace Cowboys.Tests.Operator.Runtime;

public class WorkQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_key_added_many_times_before_it_is_taken_is_processed_once()
    {
        var queue = new WorkQueue<string>();
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal("b", await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout));
        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(none.Token));
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_out_again_until_it_is_done_and_then_it_is()
    {
        var queue = new WorkQueue<string>();
        queue.Add("a");
        var first = await queue.TakeAsync(CancellationToken.None).WaitAsync(Timeout);
        queue.Add("a"); // an event arrives while "a" is reconciled

        var second = queue.TakeAsync(CancellationToken.None);
        await Task.Yield();
        Assert.False(second.IsCompleted, "a key was handed to two workers at once");

        queue.Done(first);
        Assert.Equal("a", await second.WaitAsync(Timeout));
    }

    [Fact]
    public void Backoff_grows_exponentially_up_to_the_cap_with_jitter()
    {
        var random = new Random(1);
        var baseDelay = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(10);
        for (var attempt = 1; attempt <= 30; attempt++)
        {
            var nominal = Math.Min(100 * Math.Pow(2, attempt - 1), 10_000);
            var delay = Backoff.Delay(attempt, baseDelay, max, random).TotalMilliseconds;
            Assert.InRange(delay, nominal * 0.8, nominal * 1.2);
        }
        var spread = Enumerable.Range(0, 50).Select(_ => Backoff.Delay(3, baseDelay, max, random)).Distinct().Count();
        Assert.True(spread > 40, "retries would hit the API server in step");
    }

    [Fact]
    public void Failures_of_a_key_back_off_further_until_it_succeeds()
    {
        var queue = new WorkQueue<string>(baseDelay: TimeSpan.FromMilliseconds(100), maxDelay: TimeSpan.FromMinutes(1));
        var delays = Enumerable.Range(0, 4).Select(_ => queue.Failed("a").TotalMilliseconds).ToList();
        Assert.InRange(delays[3], 800 * 0.8, 800 * 1.2);
        queue.Forget("a");
        Assert.InRange(queue.Failed("a").TotalMilliseconds, 80, 120);
    }
}
