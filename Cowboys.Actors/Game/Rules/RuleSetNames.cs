namespace Cowboys.Actors.Game.Rules;

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
