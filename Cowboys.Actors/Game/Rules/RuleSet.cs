namespace Cowboys.Actors.Game.Rules;

public enum RuleSet
{
    /// <summary>The token visits the cowboys in ring order; each shot lands at once; exactly one winner.</summary>
    Sequential,

    /// <summary>Everybody alive at the start of a beat shoots; damage lands together; a draw is possible.</summary>
    Simultaneous,
}
