using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Game.Settings;

/// <summary>What every process of one game must agree on before the first beat.</summary>
public sealed record GameSettings(Rosters.Roster Roster, RuleSet Rules, long Seed, TimeSpan BeatInterval)
{
    public static readonly TimeSpan DefaultForfeitAfter = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartBarrier = TimeSpan.FromMinutes(2);

    /// <summary>How long a live cowboy may be away (crashed, cut off) before he forfeits, so that a game always ends.</summary>
    public TimeSpan ForfeitAfter { get; init; } = DefaultForfeitAfter;

    /// <summary>How long the leader waits for every cowboy before the first beat; then the game is aborted with the reason.</summary>
    public TimeSpan StartBarrier { get; init; } = DefaultStartBarrier;

    /// <summary>
    /// Fingerprint of every setting that changes the result (the beat interval and the forfeit time
    /// decide who forfeits; the start barrier, whether the game is played at all); compared across
    /// processes at the start barrier.
    /// </summary>
    public string Fingerprint() =>
        $"{Roster.Fingerprint()}/{Rules.ToWire()}/{Seed}/beat {Duration.Format(BeatInterval)}/forfeit {Duration.Format(ForfeitAfter)}/start {Duration.Format(StartBarrier)}";
}
