using System.Collections.Immutable;

namespace Cowboys.Actors.Game.Rules;

/// <summary>
/// A beat in progress: what the ring token carries from cowboy to cowboy.
/// HealthAtStart is kept because the simultaneous rules decide who shoots and who can be shot
/// from it; Health is the running health with every shot of the beat so far applied.
/// </summary>
public sealed record BeatState(int Beat, ImmutableArray<int> HealthAtStart, ImmutableArray<int> Health, ImmutableArray<Shot> Shots)
{
    public static BeatState Start(int beat, ImmutableArray<int> health) => new(beat, health, health, ImmutableArray<Shot>.Empty);

    public bool HasShot(string shooter)
    {
        foreach (var shot in Shots)
        {
            if (shot.Shooter == shooter) return true;
        }
        return false;
    }
}
