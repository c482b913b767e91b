using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Protocol;

/// <summary>
/// The leader's roll call: for each cowboy of the roster, whether he is present (his member is up
/// and reachable and he said who he is), what he last said of his log, and since when he has been
/// away. Liveness only: who is away forfeits in time, so that every game ends; nothing here
/// decides what is committed.
/// </summary>
internal sealed class Roll
{
    private readonly Roster _roster;
    private readonly Dictionary<string, Peer> _peers = new();

    public Roll(Roster roster)
    {
        _roster = roster;
        foreach (var c in roster.Cowboys) _peers[c.Name] = new Peer();
    }

    public bool TryGet(string name, out Peer peer) => _peers.TryGetValue(name, out peer!);

    public Peer this[string name] => _peers[name];

    public IEnumerable<string> Names => _peers.Keys;

    public IEnumerable<(string Name, Peer Peer)> Present => _peers.Where(p => p.Value.Present).Select(p => (p.Key, p.Value));

    /// <summary>Whether anybody present has accepted a beat: the game has started somewhere.</summary>
    public bool Opened => _peers.Values.Any(p => p.Present && p.Last > Position.Start);

    /// <summary>Whether every cowboy of the roster is present and plays this game.</summary>
    public bool Everybody(string fingerprint) => _peers.Values.All(p => p.Present && p.Hello?.Fingerprint == fingerprint);

    public IEnumerable<string> Missing => _peers.Where(p => !p.Value.Present).Select(p => p.Key);

    /// <summary>A cowboy nobody has seen since this leader started is away from now on, so that he forfeits in time.</summary>
    public void AbsentAreAway(TimeSpan now)
    {
        foreach (var peer in _peers.Values.Where(p => !p.Present)) peer.AwaySince ??= now;
    }

    /// <summary>Live cowboys away for at least <paramref name="after"/> forfeit at the start of the beat: their health goes to 0.</summary>
    public ImmutableArray<GameEvent> Forfeits(int beat, ImmutableArray<int>.Builder health, TimeSpan now, TimeSpan after, Action<Telemetry.LogEvent, object?[]> say)
    {
        var events = ImmutableArray.CreateBuilder<GameEvent>();
        for (var i = 0; i < _roster.Count; i++)
        {
            var name = _roster.Cowboys[i].Name;
            if (health[i] > 0 && _peers[name].AwaySince is { } since && now - since >= after)
            {
                say(Telemetry.LogEvents.Forfeits, [name, Math.Round((now - since).TotalSeconds), beat]);
                health[i] = 0;
                events.Add(new GameEvent(beat, GameEvent.Forfeit, name));
            }
        }
        return events.ToImmutable();
    }

    /// <summary>Who may take part in a beat: alive at its start, present, and playing this game, in turn order.</summary>
    public ImmutableArray<int> Route(int beat, ImmutableArray<int> start, string fingerprint) =>
        GameRules.TurnOrder(_roster.Count, beat)
            .Where(i => start[i] > 0 && _peers[_roster.Cowboys[i].Name] is { Present: true } p && p.Hello?.Fingerprint == fingerprint)
            .ToImmutableArray();

    public sealed class Peer
    {
        public bool Present;
        public string? Address;
        public Hello? Hello;
        public Position Last;
        public long LastDigest;
        public TimeSpan? AwaySince;
    }
}
