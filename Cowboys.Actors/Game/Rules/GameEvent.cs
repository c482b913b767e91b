namespace Cowboys.Actors.Game.Rules;

/// <summary>Something that happened to a cowboy other than a shot, e.g. a forfeit.</summary>
public sealed record GameEvent(int Beat, string Kind, string Cowboy)
{
    public const string Forfeit = "forfeit";
}
