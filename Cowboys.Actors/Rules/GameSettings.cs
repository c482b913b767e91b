namespace Cowboys.Actors.Rules;

/// <summary>What every process of one game must agree on before the first beat.</summary>
public sealed record GameSettings(Rosters.Roster Roster, RuleSet Rules, long Seed, TimeSpan BeatInterval)
{
    public static readonly TimeSpan DefaultForfeitAfter = TimeSpan.FromSeconds(30);

    /// <summary>How long a live cowboy may be away (crashed, cut off) before he forfeits, so that a game always ends.</summary>
    public TimeSpan ForfeitAfter { get; init; } = DefaultForfeitAfter;

    /// <summary>Fingerprint of everything that decides the outcome; compared across processes at the start barrier.</summary>
    public string Fingerprint() => $"{Roster.Fingerprint()}/{Rules.ToWire()}/{Seed}";
}
