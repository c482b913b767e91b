using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Protocol;

/// <summary>What a cowboy does with a ring token that reached him (<see cref="ReplicaMachine.OnToken"/>).</summary>
public abstract record TokenStep;

/// <summary>The token's leader is superseded: drop it and tell that leader why.</summary>
public sealed record TokenFenced(Rejected Answer) : TokenStep;

/// <summary>His turn is played on the token: pass it on with this state (Shot: the shot he fired, if any).</summary>
public sealed record TokenPlayed(BeatState After, Shot? Shot) : TokenStep;

/// <summary>The token is not addressed to him (misrouted or duplicated): drop it.</summary>
public sealed record TokenNotMine : TokenStep
{
    public static readonly TokenNotMine Instance = new();
}
