using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Cowboys.Operator.Entities;

namespace Cowboys.Operator.Desired;

/// <summary>
/// The game a Shootout plays: its validated roster and settings. Built from the spec once, then
/// stored in the roster ConfigMap; from then on the ConfigMap is the truth, so an edited spec can
/// never change a game that has started.
/// </summary>
public sealed record GamePlan(Roster Roster, RuleSet Rules, long Seed, TimeSpan Beat)
{
    public const string RosterKey = "roster.json";
    public const string SeedKey = "seed";
    public const string RulesKey = "rules";
    public const string BeatKey = "beat";

    public static readonly TimeSpan DefaultBeat = TimeSpan.FromSeconds(1);

    /// <summary>Validates a spec with the same parser and messages as play. Left: the problem.</summary>
    public static (GamePlan? Plan, string? Error) FromSpec(Shootout shootout)
    {
        var spec = shootout.Spec;
        if (spec is null) return (null, "spec is missing: a Shootout must have spec.cowboys");
        Roster roster;
        try
        {
            roster = RosterParser.ParseSpecCowboys(shootout.Metadata.Name, spec.Cowboys);
        }
        catch (InvalidRosterException e)
        {
            return (null, e.Message);
        }

        var rules = RuleSet.Sequential;
        if (spec.Rules is not null && !RuleSetNames.TryParse(spec.Rules, out rules))
        {
            return (null, $"spec.rules must be \"sequential\" or \"simultaneous\", got \"{spec.Rules}\"");
        }
        var beat = DefaultBeat;
        if (spec.Beat is not null && !Duration.TryParse(spec.Beat, out beat))
        {
            return (null, $"spec.beat must be a duration up to 1h such as 0, 250ms, 1s or 2m, got \"{spec.Beat}\"");
        }
        var seed = spec.Seed ?? SeedFor(shootout.Metadata.Uid ?? shootout.Metadata.Name);
        return (new GamePlan(roster, rules, seed, beat), null);
    }

    /// <summary>A seed the operator picks when the spec has none: derived from the UID, so a restarted operator picks the same.</summary>
    public static long SeedFor(string uid) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(uid)), 0) & long.MaxValue;

    public Dictionary<string, string> ToConfigMapData() => new()
    {
        [RosterKey] = RosterJson(),
        [SeedKey] = Seed.ToString(CultureInfo.InvariantCulture),
        [RulesKey] = Rules.ToWire(),
        [BeatKey] = Duration.Format(Beat),
    };

    /// <summary>Reads the plan back from the roster ConfigMap the operator wrote. Null if it is not one.</summary>
    public static GamePlan? FromConfigMapData(string shootoutName, IDictionary<string, string>? data)
    {
        if (data is null
            || !data.TryGetValue(RosterKey, out var rosterJson)
            || !data.TryGetValue(SeedKey, out var seedText) || !long.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            || !data.TryGetValue(RulesKey, out var rulesText) || !RuleSetNames.TryParse(rulesText, out var rules)
            || !data.TryGetValue(BeatKey, out var beatText) || !Duration.TryParse(beatText, out var beat))
        {
            return null;
        }
        try
        {
            return new GamePlan(RosterParser.ParseSpecCowboys(shootoutName, rosterJson), rules, seed, beat);
        }
        catch (InvalidRosterException)
        {
            return null;
        }
    }

    /// <summary>The roster as the cowboys read it: a plain JSON array, one cowboy per line.</summary>
    public string RosterJson()
    {
        var lines = Roster.Cowboys.Select(c =>
            $"  {{\"name\": {System.Text.Json.JsonSerializer.Serialize(c.Name)}, \"health\": {c.Health}, \"damage\": {c.Damage}}}");
        return "[\n" + string.Join(",\n", lines) + "\n]\n";
    }
}
