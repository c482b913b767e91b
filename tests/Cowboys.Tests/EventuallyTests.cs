using Xunit;

namespace Cowboys.Tests;

public sealed class EventuallyTests
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task The_reading_that_holds_is_returned()
    {
        var reads = 0;
        Assert.Equal(3, await Eventually.Until(() => ++reads, n => n == 3, TimeSpan.FromSeconds(30), "three reads", every: Every));
    }

    [Fact]
    public async Task A_failure_says_what_was_awaited_and_what_was_last_seen()
    {
        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Until(() => 41, n => n == 42, TimeSpan.FromMilliseconds(1), "the answer", n => $"{n}, one short", every: Every));
        Assert.Equal("waited 1ms for the answer; last seen: 41, one short", e.Message);
    }

    [Fact]
    public async Task What_a_process_wrote_before_it_exited_is_read_once_more_before_giving_up()
    {
        // the process writes its last line and exits between two readings: the reading after the exit still sees the line
        var written = false;
        var exited = false;
        var value = await Eventually.Until(() =>
        {
            var seen = written;
            written = exited = true;
            return seen;
        }, seen => seen, TimeSpan.FromSeconds(30), "the line", gaveUp: () => exited, every: Every);
        Assert.True(value);
    }

    [Fact]
    public async Task Once_the_process_exited_a_reading_that_does_not_hold_stops_the_wait_at_once()
    {
        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Until(() => false, seen => seen, TimeSpan.FromMinutes(10), "the line", _ => "nothing", () => true, Every));
        Assert.Equal("stopped waiting for the line; last seen: nothing", e.Message);
    }
}
