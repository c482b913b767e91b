using Cowboys.Actors.Game.Results;
using Xunit;

namespace Cowboys.Tests.Actors.Game.Results;

/// <summary>Results and views compared by content (their records compare arrays by reference); an unset array is the empty one.</summary>
public static class JsonRoundTrip
{
    public static void AssertSame(GameResult expected, GameResult actual)
    {
        Assert.Equal(expected with { Cowboys = [], Shots = [], Events = [], Faults = [] }, actual with { Cowboys = [], Shots = [], Events = [], Faults = [] });
        Assert.Equal(Items(expected.Cowboys), Items(actual.Cowboys));
        Assert.Equal(Items(expected.Shots), Items(actual.Shots));
        Assert.Equal(Items(expected.Events), Items(actual.Events));
        Assert.Equal(Items(expected.Faults), Items(actual.Faults));
    }

    public static void AssertSame(GameView expected, GameView? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Deaths = [], Health = [], Shots = [] }, actual with { Deaths = [], Health = [], Shots = [] });
        Assert.Equal(Items(expected.Deaths), Items(actual.Deaths));
        Assert.Equal(Items(expected.Health), Items(actual.Health));
        Assert.Equal(Items(expected.Shots), Items(actual.Shots));
    }

    private static T[] Items<T>(System.Collections.Immutable.ImmutableArray<T> items) => items.IsDefault ? [] : [.. items];
}
