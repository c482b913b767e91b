using Cowboys.Host.Launcher;
using Xunit;

namespace Cowboys.Tests.Host.Launcher;

public class GamePollerTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(10, 100)]
    [InlineData(20, 200)]
    [InlineData(50, 500)]
    public void Each_cowboy_is_read_every_100_ms_or_less_often_so_that_a_large_game_is_asked_about_100_times_a_second(int cowboys, int everyMs)
    {
        var every = GamePoller.IntervalFor(cowboys);

        Assert.Equal(TimeSpan.FromMilliseconds(everyMs), every);
        Assert.True(cowboys / every.TotalSeconds <= 100, $"{cowboys} cowboys every {every.TotalMilliseconds} ms");
    }
}
