namespace Cowboys.Actors.Rules;

/// <summary>What every process of one game must agree on before the first beat.</summary>
public sealed record GameSettings(Rosters.Roster Roster, RuleSet Rules, long Seed, TimeSpan BeatInterval)
{
    /// <summary>Fingerprint of everything that decides the outcome; compared across processes at the start barrier.</summary>
    public string Fingerprint() => $"{Roster.Fingerprint()}/{Rules.ToWire()}/{Seed}";
}
