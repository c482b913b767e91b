namespace Cowboys.Actors.Rules;

public enum RuleSet
{
    /// <summary>The token visits the cowboys in ring order; each shot lands at once; exactly one winner.</summary>
    Sequential,

    /// <summary>Everybody alive at the start of a beat shoots; damage lands together; a draw is possible.</summary>
    Simultaneous,
}

public static class RuleSetNames
{
    public static string ToWire(this RuleSet rules) => rules == RuleSet.Sequential ? "sequential" : "simultaneous";

    public static bool TryParse(string? text, out RuleSet rules)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "sequential": rules = RuleSet.Sequential; return true;
            case "simultaneous": rules = RuleSet.Simultaneous; return true;
            default: rules = default; return false;
        }
    }
}
