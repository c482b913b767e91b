using System.Collections.Immutable;
using Cowboys.Actors.Leader;
using Cowboys.Actors.Rules;
using Cowboys.Actors.Settings;

namespace Cowboys.Actors.Protocol;

/// <summary>What the leader's shell must do.</summary>
public abstract record LeaderEffect;

/// <summary>Send a message to a cowboy's replica, by name.</summary>
public sealed record SendTo(string Cowboy, IToReplica Message) : LeaderEffect;

/// <summary>Send the ring token of a beat round these cowboys (roster indexes, in order) and back.</summary>
public sealed record SendToken(long Epoch, int Attempt, ImmutableArray<int> Route, BeatState State) : LeaderEffect;

/// <summary>Put a request (WitnessPrepare or WitnessAccept) to the witness; feed its answer back.</summary>
public sealed record AskWitness(object Request) : LeaderEffect;

/// <summary>Fire <see cref="LeaderMachine.OnTimer"/> with this timer and generation after a delay (replacing the same timer).</summary>
public sealed record StartTimer(LeaderTimer Timer, TimeSpan After, int Generation) : LeaderEffect;

/// <summary>Something the leader's host should log.</summary>
public sealed record Note(NoteLevel Level, string Text) : LeaderEffect;

/// <summary>The ring token of the current attempt came home after this round trip (the ring's latency, for metrics).</summary>
public sealed record TokenHome(int Beat, TimeSpan RoundTrip) : LeaderEffect;

/// <summary>A quorum has stored this beat: it is committed.</summary>
public sealed record BeatCommitted(BeatEntry Entry, int Acks, bool Witness) : LeaderEffect;

/// <summary>The game is decided: the last committed beat ends it (none: a lone cowboy won at once).</summary>
public sealed record GameDecided(BeatEntry? Final, string? Winner) : LeaderEffect;

public enum NoteLevel { Info, Warning, Error }

public enum LeaderTimer { Resend, TokenLost, NextBeat, Retry, BarrierDeadline, Dismiss }

/// <summary>How long the leader waits for things; the defaults suit a cluster on one machine or in one data centre.</summary>
public sealed record LeaderTimings
{
    public TimeSpan Resend { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryAfterRejection { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan StartBarrier { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long, after the end, the leader waits for every present cowboy to have announced it before dismissing them all.</summary>
    public TimeSpan DismissAfter { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// The leader, as a pure state machine: a message, a membership change or a timer in, the
/// messages to send out. A Paxos proposer over a log of beats (Multi-Paxos, the way Raft runs a
/// term): it takes a fresh epoch, has a quorum promise it, resumes from the newest log among the
/// promises, proposes each beat (played by the ring token) and commits it once a quorum has
/// stored it, and announces the end only after the final beat is committed. It holds nothing a
/// quorum does not: a new instance anywhere rebuilds everything from the replicas.
/// See docs/decisions/0011-majority-commits.md.
/// </summary>
public sealed class LeaderMachine
{
    private readonly GameSettings _game;
    private readonly string _fingerprint;
    private readonly int _n;
    private readonly long _incarnation;
    private readonly string _leaderId;
    private readonly ProtocolMutation _mutations;
    private readonly LeaderTimings _timings;
    private readonly QuorumRule _quorum;
    private readonly Dictionary<string, Peer> _peers = new();
    private readonly Dictionary<string, Promise> _promises = new();
    private readonly HashSet<string> _acks = new();
    private readonly HashSet<string> _done = new();
    private readonly Dictionary<LeaderTimer, int> _generations = new();
    private readonly RingTimer _ring;
    private readonly List<LeaderEffect> _out = new();
    private Phase _phase = Phase.Gathering;
    private TimeSpan _now;
    private long _highestSeen;
    private WitnessPromise? _witnessPromise;
    private bool _witnessPrepareAsked;
    private bool _witnessAccepted;
    private bool _witnessAcceptAsked;
    private ReplicaLog _log;
    private int _committed;
    private Position _target;
    private string? _holder;
    private BeatEntry? _pending;
    private ImmutableArray<int> _route = ImmutableArray<int>.Empty;
    private ImmutableArray<GameEvent> _beatEvents = ImmutableArray<GameEvent>.Empty;
    private int _attempt;
    private TimeSpan _beatStartedAt;
    private string? _abortReason;
    private bool _waitingNoted;
    private bool _dismissed;

    /// <param name="incarnation">Spreads the epochs of concurrent leaders apart (only its low bits are used; it need not be unique).</param>
    /// <param name="leaderId">Names this leader uniquely: replicas promise an epoch to one leader only.</param>
    public LeaderMachine(GameSettings game, long incarnation, string leaderId, LeaderTimings? timings = null, QuorumRule? quorum = null, ProtocolMutation mutations = ProtocolMutation.None)
    {
        _leaderId = leaderId;
        _mutations = mutations;
        _game = game;
        _fingerprint = game.Fingerprint();
        _n = game.Roster.Count;
        _ring = new RingTimer(_n);
        _incarnation = incarnation;
        _timings = timings ?? new LeaderTimings();
        _quorum = quorum ?? Quorum.Reached;
        _log = new ReplicaLog(game.Roster.StartingHealth());
        foreach (var c in game.Roster.Cowboys) _peers[c.Name] = new Peer();
    }

    public long Epoch { get; private set; }

    public RingTimer Ring => _ring;

    // ---- inputs ---------------------------------------------------------------------------------

    public IReadOnlyList<LeaderEffect> Start(TimeSpan now)
    {
        _now = now;
        Timer(LeaderTimer.BarrierDeadline, _timings.StartBarrier);
        Info($"Leader started: waiting for the {_n} cowboys of the roster");
        return Flush();
    }

    /// <summary>A member's cowboy answered WhoAreYou. Address tells two processes playing one name apart.</summary>
    public IReadOnlyList<LeaderEffect> OnHello(Hello hello, string address, TimeSpan now)
    {
        _now = now;
        _highestSeen = Math.Max(_highestSeen, hello.Promised);
        if (!_peers.TryGetValue(hello.Name, out var peer))
        {
            Problem($"the process at {address} plays \"{hello.Name}\", who is not in the roster");
            return Flush();
        }
        if (peer.Present && peer.Address is not null && peer.Address != address)
        {
            Problem($"two processes both play \"{hello.Name}\": {peer.Address} and {address}");
            return Flush();
        }
        if (hello.Fingerprint != _fingerprint)
        {
            Problem($"\"{hello.Name}\" plays a different game (roster, rules, seed or timings: {hello.Fingerprint} here {_fingerprint})");
        }
        var wasAway = peer.AwaySince is not null;
        peer.Present = true;
        peer.Address = address;
        peer.Hello = hello;
        peer.Last = hello.Last;
        peer.LastDigest = hello.LastDigest;
        peer.AwaySince = null;
        if (wasAway && _phase != Phase.Gathering) Info($"{hello.Name} is back ({address})");

        switch (_phase)
        {
            case Phase.Gathering:
                TryLead();
                break;
            case Phase.Preparing:
                if (!_promises.ContainsKey(hello.Name)) SendPrepare(hello.Name);
                break;
            case Phase.Fetching:
                break;
            default:
                CatchUp(hello.Name);
                break;
        }
        return Flush();
    }

    /// <summary>A member became unreachable or left: his cowboy is away.</summary>
    public IReadOnlyList<LeaderEffect> OnAway(string name, TimeSpan now)
    {
        _now = now;
        if (!_peers.TryGetValue(name, out var peer) || !peer.Present) return Flush();
        peer.Present = false;
        peer.Address = null;
        peer.AwaySince ??= now;
        if (_phase != Phase.Deciding) Info($"{name} is away");
        switch (_phase)
        {
            case Phase.TokenOut when _route.Any(i => _game.Roster.Cowboys[i].Name == name):
                Warn($"{name} left while the token of beat {_committed + 1} was out: sending the beat again");
                StartBeat();
                break;
            case Phase.Fetching when _holder == name:
                ChooseHolder();
                break;
            case Phase.Deciding:
                DismissIfAllDone(false);
                break;
        }
        return Flush();
    }

    public IReadOnlyList<LeaderEffect> OnMessage(IToLeader message, TimeSpan now)
    {
        _now = now;
        switch (message)
        {
            case Promise p: OnPromise(p); break;
            case Ack a: OnAck(a); break;
            case Fetched f: OnFetched(f); break;
            case Rejected r: OnRejected(r.Epoch, r.Promised, r.Name); break;
            case Done d: OnDone(d); break;
            case WitnessPromise w: OnWitnessPromise(w); break;
            case WitnessAccepted w: OnWitnessAccepted(w); break;
        }
        return Flush();
    }

    /// <summary>The ring token came home with the beat played; roundTrip is how long it was out.</summary>
    public IReadOnlyList<LeaderEffect> OnTokenBack(long epoch, int attempt, BeatState played, TimeSpan roundTrip, TimeSpan now)
    {
        _now = now;
        if (_phase != Phase.TokenOut || epoch != Epoch || attempt != _attempt || played.Beat != _committed + 1) return Flush();
        _ring.Record(roundTrip);
        _out.Add(new TokenHome(played.Beat, roundTrip));
        Propose(BeatEntry.Create(_log.DigestAt(_committed), played.Beat, Epoch, played.Health, played.Shots, _beatEvents));
        return Flush();
    }

    public IReadOnlyList<LeaderEffect> OnTimer(LeaderTimer timer, int generation, TimeSpan now)
    {
        _now = now;
        if (_generations.GetValueOrDefault(timer) != generation) return Flush();
        switch (timer)
        {
            case LeaderTimer.Resend: Resend(); break;
            case LeaderTimer.TokenLost when _phase == Phase.TokenOut:
                Warn($"The ring token of beat {_committed + 1} did not come back within {_ring.LostAfter().TotalMilliseconds:F0} ms: sending the beat again from the last commit");
                StartBeat();
                break;
            case LeaderTimer.NextBeat when _phase == Phase.Resting: StartBeat(); break;
            case LeaderTimer.Retry when _phase == Phase.Gathering: TryLead(); break;
            case LeaderTimer.BarrierDeadline: OnBarrierDeadline(); break;
            case LeaderTimer.Dismiss: DismissIfAllDone(true); break;
        }
        return Flush();
    }

    // ---- the start barrier and phase one ----------------------------------------------------------

    private IEnumerable<(string Name, Peer Peer)> Present => _peers.Where(p => p.Value.Present).Select(p => (p.Key, p.Value));

    private bool Opened => _peers.Values.Any(p => p.Present && p.Last > Position.Start);

    private bool Everybody => _peers.Values.All(p => p.Present && p.Hello?.Fingerprint == _fingerprint);

    private void Problem(string why)
    {
        if (_phase is Phase.Gathering or Phase.Preparing && !Opened && _committed == 0)
        {
            if (_abortReason is null) Error($"The game cannot start: {why}");
            _abortReason ??= why;
            if (_phase == Phase.Gathering) TryLead();
            else EvaluatePromises();
        }
        else
        {
            Error($"Ignoring a cowboy: {why}");
        }
    }

    private void OnBarrierDeadline()
    {
        if (_phase is not (Phase.Gathering or Phase.Preparing) || Opened || _committed > 0) return;
        var missing = _peers.Where(p => !p.Value.Present).Select(p => p.Key).ToList();
        if (missing.Count == 0) return;
        Problem($"the start barrier's deadline ({Duration.Format(_timings.StartBarrier)}) passed and {string.Join(", ", missing)} never arrived");
    }

    private void TryLead()
    {
        if (_phase != Phase.Gathering) return;
        var voters = Present.Count(p => p.Peer.Hello!.Voter);
        var enough = _quorum(_n, voters, false) || (Quorum.WitnessDecides(_n, voters));
        if ((Opened && enough) || Everybody || (_abortReason is not null && enough)) BeginPrepare();
    }

    private void BeginPrepare()
    {
        Epoch = Epochs.Next(Math.Max(_highestSeen, Epoch), _incarnation);
        _phase = Phase.Preparing;
        _promises.Clear();
        _witnessPromise = null;
        _witnessPrepareAsked = false;
        _waitingNoted = false;
        // a cowboy nobody has seen since this leader started is away from now on, so that he forfeits in time
        foreach (var peer in _peers.Values.Where(p => !p.Present)) peer.AwaySince ??= _now;
        foreach (var (name, _) in Present) SendPrepare(name);
        Timer(LeaderTimer.Resend, _timings.Resend);
    }

    private void SendPrepare(string name) => Send(name, new Prepare(Epoch, _fingerprint, _leaderId));

    private void OnPromise(Promise promise)
    {
        if (_phase != Phase.Preparing || promise.Epoch != Epoch) return;
        _promises[promise.Name] = promise;
        if (_peers.TryGetValue(promise.Name, out var peer))
        {
            peer.Last = promise.Last;
            peer.LastDigest = promise.LastDigest;
        }
        EvaluatePromises();
    }

    private void OnWitnessPromise(WitnessPromise answer)
    {
        if (_phase != Phase.Preparing || answer.Epoch != Epoch) return;
        if (!answer.Granted)
        {
            OnRejected(Epoch, answer.Promised, "the witness");
            return;
        }
        _witnessPromise = answer;
        EvaluatePromises();
    }

    private void EvaluatePromises()
    {
        if (_phase != Phase.Preparing) return;
        var playing = _promises.Values.Where(p => p.Fingerprint == _fingerprint).ToList();
        var voters = playing.Count(p => p.Voter);
        var maxLast = playing.Count == 0 ? Position.Start
            : _mutations.HasFlag(ProtocolMutation.PreferLowerEpoch) ? playing.Select(p => p.Last).OrderByDescending(l => l.Beat).ThenBy(l => l.Epoch).First()
            : playing.Max(p => p.Last);
        var witness = _witnessPromise is not null;
        // an abort may be decided by anybody in the roster, whatever game he thinks he plays
        var abortVoters = _promises.Values.Count(p => p.Voter && (p.Fingerprint == _fingerprint || p.Last == Position.Start));
        var canAbort = _abortReason is not null && maxLast == Position.Start;

        var reached = _quorum(_n, voters, witness) || (canAbort && _quorum(_n, abortVoters, witness));
        if (!reached)
        {
            if (!_witnessPrepareAsked && (Quorum.WitnessDecides(_n, voters) || (canAbort && Quorum.WitnessDecides(_n, abortVoters))))
            {
                _witnessPrepareAsked = true;
                _out.Add(new AskWitness(new WitnessPrepare(Epoch, _leaderId)));
            }
            return;
        }
        if (witness && _witnessPromise!.Accepted > maxLast)
        {
            WaitingOnce($"the witness has seen {_witnessPromise.Accepted}, newer than any promise so far: waiting for a cowboy who holds it");
            return;
        }
        if (maxLast == Position.Start)
        {
            if (_abortReason is not null)
            {
                Propose(BeatEntry.Create(0, 1, Epoch, _game.Roster.StartingHealth(), [], [], _abortReason));
            }
            else if (playing.Count == _n)
            {
                Info($"All {_n} cowboys are up: the game starts (rules {_game.Rules.ToWire()}, seed {_game.Seed}, leader epoch {Epoch})");
                _log = new ReplicaLog(_game.Roster.StartingHealth());
                _committed = 0;
                if (GameRules.IsOver(_game.Roster.StartingHealth())) Decided(null); // a lone cowboy wins at once, with no beat
                else StartBeat();
            }
            else
            {
                WaitingOnce($"nothing is played yet and {string.Join(", ", _peers.Keys.Where(n => !_promises.ContainsKey(n)))} have not promised: the game starts when every cowboy is here");
            }
            return;
        }
        _target = maxLast;
        _log = new ReplicaLog(_game.Roster.StartingHealth());
        _phase = Phase.Fetching;
        ChooseHolder();
    }

    private void WaitingOnce(string text)
    {
        if (_waitingNoted) return;
        _waitingNoted = true;
        Info($"Leader epoch {Epoch}: {text}");
    }

    // ---- recovery: read the newest log ---------------------------------------------------------

    private void ChooseHolder()
    {
        var holder = _promises.Values.FirstOrDefault(p => p.Last == _target && p.Fingerprint == _fingerprint && _peers[p.Name].Present);
        if (holder is null)
        {
            Warn($"Nobody present holds {_target} any more: asking for promises again");
            _phase = Phase.Gathering;
            Timer(LeaderTimer.Retry, _timings.Resend);
            return;
        }
        _holder = holder.Name;
        Send(_holder, new Fetch(Epoch, _log.Count + 1));
    }

    private void OnFetched(Fetched fetched)
    {
        if (_phase != Phase.Fetching || fetched.Epoch != Epoch || fetched.Name != _holder || fetched.From != _log.Count + 1) return;
        foreach (var entry in fetched.Entries)
        {
            if (entry.Beat > _target.Beat) break;
            _log.Append(entry);
        }
        if (_log.Count < _target.Beat)
        {
            if (fetched.Entries.IsEmpty) ChooseHolder();
            else Send(_holder!, new Fetch(Epoch, _log.Count + 1));
            return;
        }
        var last = _log[_target.Beat];
        _committed = _target.Beat - 1; // every entry but the last of a log is committed
        Info($"Taking over the game after beat {_committed} as leader epoch {Epoch}, from {_holder}'s log");
        if (_mutations.HasFlag(ProtocolMutation.NoReproposal))
        {
            StartBeat();
            return;
        }
        Propose(last.WithEpoch(Epoch)); // the newest beat found is proposed again under this epoch, as Paxos requires
    }

    // ---- phase two: beats -----------------------------------------------------------------------

    private void StartBeat()
    {
        var beat = _committed + 1;
        if (_phase != Phase.TokenOut) _beatStartedAt = _now;
        var health = _log.HealthAfter(_committed).ToBuilder();
        var events = ImmutableArray.CreateBuilder<GameEvent>();
        for (var i = 0; i < _n; i++)
        {
            var name = _game.Roster.Cowboys[i].Name;
            var away = _peers[name].AwaySince;
            if (health[i] > 0 && away is { } since && _now - since >= _game.ForfeitAfter)
            {
                Warn($"{name} has been away for {(_now - since).TotalSeconds:F0} s: he forfeits in beat {beat}");
                health[i] = 0;
                events.Add(new GameEvent(beat, GameEvent.Forfeit, name));
            }
        }
        var start = health.ToImmutable();
        _beatEvents = events.ToImmutable();
        if (GameRules.IsOver(start))
        {
            Propose(BeatEntry.Create(_log.DigestAt(_committed), beat, Epoch, start, [], _beatEvents)); // the forfeits alone end it
            return;
        }
        _route = GameRules.TurnOrder(_n, beat)
            .Where(i => start[i] > 0 && _peers[_game.Roster.Cowboys[i].Name] is { Present: true } p && p.Hello?.Fingerprint == _fingerprint)
            .ToImmutableArray();
        if (_route.IsEmpty)
        {
            _phase = Phase.Resting;
            Timer(LeaderTimer.NextBeat, TimeSpan.FromMilliseconds(200));
            return;
        }
        _attempt++;
        _phase = Phase.TokenOut;
        _out.Add(new SendToken(Epoch, _attempt, _route, BeatState.Start(beat, start)));
        Timer(LeaderTimer.TokenLost, _ring.LostAfter());
    }

    private void Propose(BeatEntry entry)
    {
        if (entry.Beat == _log.Count) _log.Replace(entry);
        else _log.Append(entry);
        _pending = entry;
        _acks.Clear();
        _witnessAccepted = false;
        _witnessAcceptAsked = false;
        _waitingNoted = false;
        _phase = Phase.Accepting;
        foreach (var (name, _) in Present) SendAccept(name);
        Timer(LeaderTimer.Resend, _timings.Resend);
    }

    private void SendAccept(string name) => Send(name, new Accept(Epoch, _fingerprint, _log.DigestAt(_pending!.Beat - 1), _pending));

    private void OnAck(Ack ack)
    {
        if (ack.Epoch != Epoch || !_peers.TryGetValue(ack.Name, out var peer)) return;
        peer.Last = ack.Last;
        peer.LastDigest = ack.LastDigest;
        if (_phase == Phase.Accepting && ack.Last == _pending!.Position)
        {
            if (ack.Voter && (_pending.IsAbort || peer.Hello?.Fingerprint == _fingerprint)) _acks.Add(ack.Name);
            CheckCommit();
            return;
        }
        CatchUp(ack.Name);
    }

    private void OnDone(Done done)
    {
        if (done.Epoch != Epoch) return;
        _done.Add(done.Name);
        if (_phase == Phase.Deciding) DismissIfAllDone(false);
        if (_phase is Phase.Deciding or Phase.Gathering or Phase.Preparing or Phase.Fetching) return;
        // a replica announced the end under an earlier leader: a decided log is committed, so it is ours to announce too
        if (done.Beat > _log.Count || !_log.Matches(done.Beat, done.Digest))
        {
            Error($"{done.Name} announced an end at beat {done.Beat} that this leader's log does not hold");
            return;
        }
        _committed = done.Beat;
        Info($"{done.Name} already announced the end at beat {done.Beat}");
        Decided(done.Beat == 0 ? null : _log[done.Beat]);
    }

    private void OnWitnessAccepted(WitnessAccepted answer)
    {
        if (_phase != Phase.Accepting || answer.Epoch != Epoch || answer.Position != _pending!.Position) return;
        if (!answer.Granted)
        {
            OnRejected(Epoch, answer.Promised, "the witness");
            return;
        }
        _witnessAccepted = true;
        CheckCommit();
    }

    private void CheckCommit()
    {
        if (_quorum(_n, _acks.Count, _witnessAccepted))
        {
            Commit();
            return;
        }
        if (!_witnessAcceptAsked && Quorum.WitnessDecides(_n, _acks.Count))
        {
            _witnessAcceptAsked = true;
            _out.Add(new AskWitness(new WitnessAccept(Epoch, _pending!.Position)));
        }
    }

    private void Commit()
    {
        var entry = _pending!;
        _committed = entry.Beat;
        _out.Add(new BeatCommitted(entry, _acks.Count, _witnessAccepted));
        if (entry.EndsGame)
        {
            Decided(entry);
            return;
        }
        // bring everybody who missed this beat up to date while the next one is played
        foreach (var (name, peer) in Present)
        {
            if (peer.Last != entry.Position) CatchUp(name);
        }
        _phase = Phase.Resting;
        var rest = _game.BeatInterval - (_now - _beatStartedAt);
        if (rest <= TimeSpan.Zero) StartBeat();
        else Timer(LeaderTimer.NextBeat, rest);
    }

    private void Decided(BeatEntry? final)
    {
        _phase = Phase.Deciding;
        _done.Clear();
        var health = final?.Health ?? _game.Roster.StartingHealth();
        var winner = final is { IsAbort: true } ? null : GameRules.Winner(health) is { } w ? _game.Roster.Cowboys[w].Name : null;
        _out.Add(new GameDecided(final, winner));
        foreach (var (name, _) in Present) CatchUp(name);
        Timer(LeaderTimer.Resend, _timings.Resend);
        Timer(LeaderTimer.Dismiss, _timings.DismissAfter);
    }

    /// <summary>Once every present cowboy has announced the end (or the wait is over), they may all leave.</summary>
    private void DismissIfAllDone(bool waitedLongEnough)
    {
        if (_phase != Phase.Deciding || _dismissed) return;
        if (!waitedLongEnough && Present.Any(p => !_done.Contains(p.Name))) return;
        _dismissed = true;
        foreach (var (name, _) in Present) Send(name, new Dismiss(Epoch));
    }

    /// <summary>Brings one replica's log to this leader's: a chunk of committed beats, the pending beat, or the end.</summary>
    private void CatchUp(string name)
    {
        var peer = _peers[name];
        if (!peer.Present || _phase is Phase.Gathering or Phase.Preparing or Phase.Fetching) return;
        if (_phase == Phase.Deciding && _done.Contains(name)) return;
        var last = peer.Last;
        if (last.Beat > _log.Count) return; // ahead with a beat nobody committed: the next Accept replaces it
        var matches = _log.Matches(last.Beat, peer.LastDigest);
        // every beat before a replica's last is committed, so only his last can differ from ours
        var from = matches ? last.Beat + 1 : Math.Max(1, last.Beat);
        if (from <= _committed)
        {
            var chunk = _log.Chunk(from, _committed, ReplicaMachine.ChunkShots);
            Send(name, new Sync(Epoch, _fingerprint, from, _log.DigestAt(from - 1), chunk));
            return;
        }
        if (_phase == Phase.Deciding)
        {
            Send(name, new Decide(Epoch, _committed, _log.DigestAt(_committed), _committed == 0 ? null : _log[_committed], _committed == 0 ? 0 : _log.DigestAt(_committed - 1)));
        }
        else if (_phase is Phase.Accepting && _pending is not null && from == _pending.Beat)
        {
            SendAccept(name);
        }
    }

    private void Resend()
    {
        switch (_phase)
        {
            case Phase.Preparing:
                foreach (var (name, _) in Present.Where(p => !_promises.ContainsKey(p.Name))) SendPrepare(name);
                break;
            case Phase.Fetching:
                if (_holder is not null) Send(_holder, new Fetch(Epoch, _log.Count + 1));
                break;
            case Phase.Accepting:
                foreach (var (name, _) in Present.Where(p => !_acks.Contains(p.Name))) SendAccept(name);
                if (!_waitingNoted && _acks.Count > 0)
                {
                    WaitingOnce($"beat {_pending!.Beat} is stored by {_acks.Count} of {_n}: waiting for a majority");
                }
                break;
            case Phase.Deciding:
                foreach (var (name, _) in Present.Where(p => !_done.Contains(p.Name))) CatchUp(name);
                break;
            default:
                return;
        }
        Timer(LeaderTimer.Resend, _timings.Resend);
    }

    private void OnRejected(long epoch, long promised, string who)
    {
        if (epoch != Epoch || _phase == Phase.Gathering) return;
        _highestSeen = Math.Max(_highestSeen, promised);
        if (promised < Epoch) return; // equal: another leader drew the same epoch and was promised it first
        Warn($"Leader epoch {Epoch} is superseded ({who} promised epoch {promised}): stepping down");
        _phase = Phase.Gathering;
        _pending = null;
        Timer(LeaderTimer.Retry, _timings.RetryAfterRejection);
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private void Send(string name, IToReplica message) => _out.Add(new SendTo(name, message));

    private void Timer(LeaderTimer timer, TimeSpan after)
    {
        var generation = _generations.GetValueOrDefault(timer) + 1;
        _generations[timer] = generation;
        _out.Add(new StartTimer(timer, after, generation));
    }

    private void Info(string text) => _out.Add(new Note(NoteLevel.Info, text));

    private void Warn(string text) => _out.Add(new Note(NoteLevel.Warning, text));

    private void Error(string text) => _out.Add(new Note(NoteLevel.Error, text));

    private IReadOnlyList<LeaderEffect> Flush()
    {
        var effects = _out.ToArray();
        _out.Clear();
        return effects;
    }

    private enum Phase { Gathering, Preparing, Fetching, TokenOut, Accepting, Resting, Deciding }

    private sealed class Peer
    {
        public bool Present;
        public string? Address;
        public Hello? Hello;
        public Position Last;
        public long LastDigest;
        public TimeSpan? AwaySince;
    }
}
