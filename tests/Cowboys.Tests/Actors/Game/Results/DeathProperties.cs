using Cowboys.Actors.Game.Results;
using FsCheck.Xunit;
using Xunit;
using Cowboys.Tests.Actors.Game.Rules;

namespace Cowboys.Tests.Actors.Game.Results;

/// <summary>Who died is derived by one rule (<see cref="Death.IsKill"/>) for the result, GET /game and the leader's log alike.</summary>
public sealed class DeathProperties
{
    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = 300)]
    public void Every_cowboy_at_zero_health_died_exactly_once_and_nobody_else_did(GameCase game)
    {
        var result = game.Play();

        var deaths = ResultSummary.DeathsOf(result);

        Assert.Equal(result.Cowboys.Where(c => c.Health == 0).Select(c => c.Name).Order(), deaths.Select(d => d.Cowboy).Order());
        Assert.Equal(deaths.OrderBy(d => d.Beat).ToArray(), deaths.ToArray());
    }
}
