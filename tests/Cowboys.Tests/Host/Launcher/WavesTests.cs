using Cowboys.Host.Launcher;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace Cowboys.Tests.Host.Launcher;

public sealed class WavesTests
{
    [Property(MaxTest = 500)]
    public bool Waves_start_every_cowboy_once_the_contact_points_together_first_and_never_more_than_a_few_per_processor(PositiveInt cowboyDraw, PositiveInt processorDraw)
    {
        var (cowboys, processors) = (cowboyDraw.Get % 300 + 1, processorDraw.Get % 64 + 1);
        var waves = Waves.For(cowboys, processors);
        var size = Waves.SizeFor(processors);
        return waves.Sum() == cowboys
            && waves.All(w => w >= 1 && w <= size)
            && waves[0] >= Math.Min(cowboys, PlayOptions.ContactPoints)
            // only the last wave may be short: fewer waves cannot hold them
            && waves.Take(waves.Length - 1).All(w => w == size)
            && waves.Length == (cowboys + size - 1) / size;
    }

    [Fact]
    public void The_start_deadline_leaves_every_later_wave_its_join_limit()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), Waves.StartDeadline(TimeSpan.FromMinutes(2), 1));
        Assert.Equal(TimeSpan.FromMinutes(2) + 9 * Waves.JoinLimit, Waves.StartDeadline(TimeSpan.FromMinutes(2), Waves.For(100, 2).Length));
    }

    [Theory]
    [InlineData(5, 2, new[] { 5 })]
    [InlineData(10, 2, new[] { 10 })]
    [InlineData(12, 2, new[] { 10, 2 })]
    [InlineData(100, 2, new[] { 10, 10, 10, 10, 10, 10, 10, 10, 10, 10 })]
    [InlineData(100, 16, new[] { 80, 20 })]
    [InlineData(7, 1, new[] { 5, 2 })]
    public void The_sample_starts_at_once_and_a_hundred_on_two_cores_in_tens(int cowboys, int processors, int[] expected) =>
        Assert.Equal(expected, Waves.For(cowboys, processors));
}
