using Cowboys.Actors.Telemetry;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using static Cowboys.Actors.Protocol.LeaderPhase;

namespace Cowboys.Actors.Protocol;

/// <summary>
/// The leader, as a pure state machine: a message, a membership change or a timer in, the
/// messages to send out. A Paxos proposer over a log of beats (Multi-Paxos, the way Raft runs a
/// term): it takes a fresh epoch, has a quorum promise it, resumes from the newest log among the
/// promises, proposes each beat (played by the ring token) and commits it once a quorum has
/// stored it, and announces the end only after the final beat is committed. It holds nothing a
/// quorum does not: a new instance anywhere rebuilds everything from the replicas.
/// State that only one phase has lives in that phase's <see cref="LeaderPhase"/>; who is present
/// lives in the <see cref="Roll"/>. See docs/decisions/0011-majority-commits.md.
/// </summary>
public sealed class LeaderMachine
{
    private readonly GameSettings _game;
    private readonly string _fingerprint;
    private readonly int _n;
    private readonly long _incarnation;
    private readonly string _leaderId;
    private readonly string? _host;
    private readonly ProtocolMutation _mutations;
    private readonly LeaderTimings _timings;
    private readonly QuorumRule _quorum;
    private readonly Roll _roll;
    private readonly Dictionary<LeaderTimer, int> _generations = new();
    private readonly RingTimer _ring;
    private readonly List<LeaderEffect> _out = new();
    private LeaderPhase _phase = Gathering.Instance;
    private TimeSpan _now;

    // the proposer's state across phases: what it has seen, and the log it leads
    private long _highestSeen;
    private ReplicaLog _log;
    private int _committed;

    // the beat scheduler's state across phases (liveness only)
    private int _attempt;
    private TimeSpan _beatStartedAt;

    private string? _abortReason;
    private bool _waitingNoted;

    /// <param name="incarnation">Spreads the epochs of concurrent leaders apart (only its low bits are used; it need not be unique).</param>
    /// <param name="leaderId">Names this leader uniquely: replicas promise an epoch to one leader only.</param>
    /// <param name="host">The cowboy whose process hosts this leader, named in every Accept and Sync for GET /game (null: not said; no decision depends on it).</param>
    public LeaderMachine(GameSettings game, long incarnation, string leaderId, LeaderTimings? timings = null, QuorumRule? quorum = null,
        ProtocolMutation mutations = ProtocolMutation.None, string? host = null)
    {
        _leaderId = leaderId;
        _host = host;
        _mutations = mutations;
        _game = game;
        _fingerprint = game.Fingerprint();
        _n = game.Roster.Count;
        _ring = new RingTimer(_n);
        _incarnation = incarnation;
        _timings = timings ?? new LeaderTimings();
        _quorum = quorum ?? Quorum.Reached;
        _log = new ReplicaLog(game.Roster.StartingHealth());
        _roll = new Roll(game.Roster);
    }

    public long Epoch { get; private set; }

    public RingTimer Ring => _ring;

    // ---- inputs ---------------------------------------------------------------------------------

    public IReadOnlyList<LeaderEffect> Start(TimeSpan now)
    {
        _now = now;
        Timer(LeaderTimer.BarrierDeadline, _timings.StartBarrier);
        Info(LogEvents.WaitingForRoster, _n);
        return Flush();
    }

    /// <summary>A member's cowboy answered WhoAreYou. Address tells two processes playing one name apart.</summary>
    public IReadOnlyList<LeaderEffect> OnHello(Hello hello, string address, TimeSpan now)
    {
        _now = now;
        _highestSeen = Math.Max(_highestSeen, hello.Promised);
        if (!_roll.TryGet(hello.Name, out var peer))
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
        if (wasAway && _phase is not Gathering) Info(LogEvents.CowboyBack, hello.Name, address);

        switch (_phase)
        {
            case Gathering:
                TryLead();
                break;
            case Preparing preparing:
                if (!preparing.Promises.ContainsKey(hello.Name)) SendPrepare(hello.Name);
                break;
            case Fetching:
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
        if (!_roll.TryGet(name, out var peer) || !peer.Present) return Flush();
        peer.Present = false;
        peer.Address = null;
        peer.AwaySince ??= now;
        if (_phase is not Deciding) Info(LogEvents.CowboyAway, name);
        switch (_phase)
        {
            case TokenOut token when token.Route.Any(i => _game.Roster.Cowboys[i].Name == name):
                Warn(LogEvents.ResendAfterLeave, name, _committed + 1);
                StartBeat();
                break;
            case Fetching fetching when fetching.Holder == name:
                ChooseHolder(fetching);
                break;
            case Deciding deciding:
                DismissIfAllDone(deciding, false);
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
        if (_phase is not TokenOut token || epoch != Epoch || attempt != token.Attempt || played.Beat != _committed + 1) return Flush();
        _ring.Record(roundTrip);
        _out.Add(new TokenHome(played.Beat, roundTrip));
        Propose(BeatEntry.Create(_log.DigestAt(_committed), played.Beat, Epoch, played.Health, played.Shots, token.Events));
        return Flush();
    }

    public IReadOnlyList<LeaderEffect> OnTimer(LeaderTimer timer, int generation, TimeSpan now)
    {
        _now = now;
        if (_generations.GetValueOrDefault(timer) != generation) return Flush();
        switch (timer)
        {
            case LeaderTimer.Resend: Resend(); break;
            case LeaderTimer.TokenLost when _phase is TokenOut:
                Warn(LogEvents.TokenLost, _committed + 1, Math.Round(_ring.LostAfter().TotalMilliseconds));
                StartBeat();
                break;
            case LeaderTimer.NextBeat when _phase is Resting: StartBeat(); break;
            case LeaderTimer.Retry when _phase is Gathering: TryLead(); break;
            case LeaderTimer.BarrierDeadline: OnBarrierDeadline(); break;
            case LeaderTimer.Dismiss when _phase is Deciding deciding: DismissIfAllDone(deciding, true); break;
        }
        return Flush();
    }

    // ---- the start barrier and phase one ----------------------------------------------------------

    private bool BeforeAnyBeat => _phase is Gathering or Preparing && !_roll.Opened && _committed == 0;

    private void Problem(string why)
    {
        if (BeforeAnyBeat)
        {
            if (_abortReason is null) Error(LogEvents.CannotStart, why);
            _abortReason ??= why;
            if (_phase is Preparing preparing) EvaluatePromises(preparing);
            else TryLead();
        }
        else
        {
            Error(LogEvents.CowboyIgnored, why);
        }
    }

    private void OnBarrierDeadline()
    {
        if (!BeforeAnyBeat) return;
        var missing = _roll.Missing.ToList();
        if (missing.Count == 0) return;
        Problem($"the start barrier's deadline ({Duration.Format(_timings.StartBarrier)}) passed and {string.Join(", ", missing)} never arrived");
    }

    private void TryLead()
    {
        if (_phase is not Gathering) return;
        var voters = _roll.Present.Count(p => p.Peer.Hello!.Voter);
        var enough = _quorum(_n, voters, false) || Quorum.WitnessDecides(_n, voters);
        if ((_roll.Opened && enough) || _roll.Everybody(_fingerprint) || (_abortReason is not null && enough)) BeginPrepare();
    }

    private void BeginPrepare()
    {
        Epoch = Epochs.Next(Math.Max(_highestSeen, Epoch), _incarnation);
        _phase = new Preparing();
        _waitingNoted = false;
        _roll.AbsentAreAway(_now);
        foreach (var (name, _) in _roll.Present) SendPrepare(name);
        Timer(LeaderTimer.Resend, _timings.Resend);
    }

    private void SendPrepare(string name) => Send(name, new Prepare(Epoch, _fingerprint, _leaderId));

    private void OnPromise(Promise promise)
    {
        if (_phase is not Preparing preparing || promise.Epoch != Epoch) return;
        preparing.Promises[promise.Name] = promise;
        if (_roll.TryGet(promise.Name, out var peer))
        {
            peer.Last = promise.Last;
            peer.LastDigest = promise.LastDigest;
        }
        EvaluatePromises(preparing);
    }

    private void OnWitnessPromise(WitnessPromise answer)
    {
        if (_phase is not Preparing preparing || answer.Epoch != Epoch) return;
        if (!answer.Granted)
        {
            OnRejected(Epoch, answer.Promised, "the witness");
            return;
        }
        preparing.Witness = answer;
        EvaluatePromises(preparing);
    }

    private void EvaluatePromises(Preparing preparing)
    {
        var playing = preparing.Promises.Values.Where(p => p.Fingerprint == _fingerprint).ToList();
        var voters = playing.Count(p => p.Voter);
        var maxLast = playing.Count == 0 ? Position.Start
            : _mutations.HasFlag(ProtocolMutation.PreferLowerEpoch) ? playing.Select(p => p.Last).OrderByDescending(l => l.Beat).ThenBy(l => l.Epoch).First()
            : playing.Max(p => p.Last);
        var witness = preparing.Witness;
        // an abort may be decided by anybody in the roster, whatever game he thinks he plays
        var abortVoters = preparing.Promises.Values.Count(p => p.Voter && (p.Fingerprint == _fingerprint || p.Last == Position.Start));
        var canAbort = _abortReason is not null && maxLast == Position.Start;

        var reached = _quorum(_n, voters, witness is not null) || (canAbort && _quorum(_n, abortVoters, witness is not null));
        if (!reached)
        {
            if (!preparing.WitnessAsked && (Quorum.WitnessDecides(_n, voters) || (canAbort && Quorum.WitnessDecides(_n, abortVoters))))
            {
                preparing.WitnessAsked = true;
                _out.Add(new AskWitness(new WitnessPrepare(Epoch, _leaderId)));
            }
            return;
        }
        if (witness is not null && witness.Accepted > maxLast)
        {
            WaitingOnce($"the witness has seen {witness.Accepted}, newer than any promise so far: waiting for a cowboy who holds it");
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
                Info(LogEvents.GameStarts, _n, _game.Rules.ToWire(), _game.Seed, Epoch);
                _log = new ReplicaLog(_game.Roster.StartingHealth());
                _committed = 0;
                if (GameRules.IsOver(_game.Roster.StartingHealth())) Decided(null); // a lone cowboy wins at once, with no beat
                else StartBeat();
            }
            else
            {
                WaitingOnce($"nothing is played yet and {string.Join(", ", _roll.Names.Where(n => !preparing.Promises.ContainsKey(n)))} have not promised: the game starts when every cowboy is here");
            }
            return;
        }
        _log = new ReplicaLog(_game.Roster.StartingHealth());
        var fetching = new Fetching(maxLast, preparing.Promises);
        _phase = fetching;
        ChooseHolder(fetching);
    }

    private void WaitingOnce(string text)
    {
        if (_waitingNoted) return;
        _waitingNoted = true;
        Info(LogEvents.LeaderWaiting, Epoch, text);
    }

    // ---- recovery: read the newest log ---------------------------------------------------------

    private void ChooseHolder(Fetching fetching)
    {
        var holder = fetching.Promises.Values.FirstOrDefault(p => p.Last == fetching.Target && p.Fingerprint == _fingerprint && _roll[p.Name].Present);
        if (holder is null)
        {
            Warn(LogEvents.HolderGone, fetching.Target);
            _phase = Gathering.Instance;
            Timer(LeaderTimer.Retry, _timings.Resend);
            return;
        }
        fetching.Holder = holder.Name;
        Send(holder.Name, new Fetch(Epoch, _log.Count + 1));
    }

    private void OnFetched(Fetched fetched)
    {
        if (_phase is not Fetching fetching || fetched.Epoch != Epoch || fetched.Name != fetching.Holder || fetched.From != _log.Count + 1) return;
        var target = fetching.Target;
        foreach (var entry in fetched.Entries)
        {
            if (entry.Beat > target.Beat) break;
            _log.Append(entry);
        }
        if (_log.Count < target.Beat)
        {
            if (fetched.Entries.IsEmpty) ChooseHolder(fetching);
            else Send(fetching.Holder!, new Fetch(Epoch, _log.Count + 1));
            return;
        }
        var last = _log[target.Beat];
        _committed = target.Beat - 1; // every entry but the last of a log is committed
        Info(LogEvents.TakingOver, _committed, Epoch, fetching.Holder);
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
        if (_phase is not TokenOut) _beatStartedAt = _now;
        var health = _log.HealthAfter(_committed).ToBuilder();
        var events = _roll.Forfeits(beat, health, _now, _game.ForfeitAfter, Warn);
        var start = health.ToImmutable();
        if (GameRules.IsOver(start))
        {
            Propose(BeatEntry.Create(_log.DigestAt(_committed), beat, Epoch, start, [], events)); // the forfeits alone end it
            return;
        }
        var route = _roll.Route(beat, start, _fingerprint);
        if (route.IsEmpty)
        {
            _phase = Resting.Instance;
            Timer(LeaderTimer.NextBeat, TimeSpan.FromMilliseconds(200));
            return;
        }
        _attempt++;
        _phase = new TokenOut(_attempt, route, events);
        _out.Add(new SendToken(Epoch, _attempt, route, BeatState.Start(beat, start)));
        Timer(LeaderTimer.TokenLost, _ring.LostAfter());
    }

    private void Propose(BeatEntry entry)
    {
        if (entry.Beat == _log.Count) _log.Replace(entry);
        else _log.Append(entry);
        _waitingNoted = false;
        _phase = new Accepting(entry);
        foreach (var (name, _) in _roll.Present) SendAccept(name, entry);
        Timer(LeaderTimer.Resend, _timings.Resend);
    }

    private void SendAccept(string name, BeatEntry pending) => Send(name, new Accept(Epoch, _fingerprint, _log.DigestAt(pending.Beat - 1), pending, _host));

    private void OnAck(Ack ack)
    {
        if (ack.Epoch != Epoch || !_roll.TryGet(ack.Name, out var peer)) return;
        peer.Last = ack.Last;
        peer.LastDigest = ack.LastDigest;
        if (_phase is Accepting accepting && ack.Last == accepting.Pending.Position)
        {
            if (ack.Voter && (accepting.Pending.IsAbort || peer.Hello?.Fingerprint == _fingerprint)) accepting.Acks.Add(ack.Name);
            CheckCommit(accepting);
            return;
        }
        CatchUp(ack.Name);
    }

    private void OnDone(Done done)
    {
        if (done.Epoch != Epoch) return;
        switch (_phase)
        {
            case Deciding deciding:
                deciding.Done.Add(done.Name);
                DismissIfAllDone(deciding, false);
                return;
            case Gathering or Preparing or Fetching:
                return;
        }
        // a replica announced the end under an earlier leader: a decided log is committed, so it is ours to announce too
        if (done.Beat > _log.Count || !_log.Matches(done.Beat, done.Digest))
        {
            Error(LogEvents.UnknownEnd, done.Name, done.Beat);
            return;
        }
        _committed = done.Beat;
        Info(LogEvents.EndAnnounced, done.Name, done.Beat);
        Decided(done.Beat == 0 ? null : _log[done.Beat]);
    }

    private void OnWitnessAccepted(WitnessAccepted answer)
    {
        if (_phase is not Accepting accepting || answer.Epoch != Epoch || answer.Position != accepting.Pending.Position) return;
        if (!answer.Granted)
        {
            OnRejected(Epoch, answer.Promised, "the witness");
            return;
        }
        accepting.WitnessAccepted = true;
        CheckCommit(accepting);
    }

    private void CheckCommit(Accepting accepting)
    {
        if (_quorum(_n, accepting.Acks.Count, accepting.WitnessAccepted))
        {
            Commit(accepting);
            return;
        }
        if (!accepting.WitnessAsked && Quorum.WitnessDecides(_n, accepting.Acks.Count))
        {
            accepting.WitnessAsked = true;
            _out.Add(new AskWitness(new WitnessAccept(Epoch, accepting.Pending.Position)));
        }
    }

    private void Commit(Accepting accepting)
    {
        var entry = accepting.Pending;
        _committed = entry.Beat;
        _out.Add(new BeatCommitted(entry, accepting.Acks.Count, accepting.WitnessAccepted));
        if (entry.EndsGame)
        {
            Decided(entry);
            return;
        }
        _phase = Resting.Instance;
        // bring everybody who missed this beat up to date while the next one is played
        foreach (var (name, peer) in _roll.Present)
        {
            if (peer.Last != entry.Position) CatchUp(name);
        }
        var rest = _game.BeatInterval - (_now - _beatStartedAt);
        if (rest <= TimeSpan.Zero) StartBeat();
        else Timer(LeaderTimer.NextBeat, rest);
    }

    private void Decided(BeatEntry? final)
    {
        var deciding = new Deciding();
        _phase = deciding;
        var health = final?.Health ?? _game.Roster.StartingHealth();
        var winner = final is { IsAbort: true } ? null : GameRules.Winner(health) is { } w ? _game.Roster.Cowboys[w].Name : null;
        _out.Add(new GameDecided(final, winner));
        foreach (var (name, _) in _roll.Present) CatchUp(name);
        Timer(LeaderTimer.Resend, _timings.Resend);
        Timer(LeaderTimer.Dismiss, _timings.DismissAfter);
    }

    /// <summary>Once every present cowboy has announced the end (or the wait is over), they may all leave.</summary>
    private void DismissIfAllDone(Deciding deciding, bool waitedLongEnough)
    {
        if (deciding.Dismissed) return;
        if (!waitedLongEnough && _roll.Present.Any(p => !deciding.Done.Contains(p.Name))) return;
        deciding.Dismissed = true;
        foreach (var (name, _) in _roll.Present) Send(name, new Dismiss(Epoch));
    }

    /// <summary>Brings one replica's log to this leader's: a chunk of committed beats, the pending beat, or the end.</summary>
    private void CatchUp(string name)
    {
        var peer = _roll[name];
        if (!peer.Present || _phase is Gathering or Preparing or Fetching) return;
        if (_phase is Deciding deciding && deciding.Done.Contains(name)) return;
        var last = peer.Last;
        if (last.Beat > _log.Count) return; // ahead with a beat nobody committed: the next Accept replaces it
        var matches = _log.Matches(last.Beat, peer.LastDigest);
        // every beat before a replica's last is committed, so only his last can differ from ours
        var from = matches ? last.Beat + 1 : Math.Max(1, last.Beat);
        if (from <= _committed)
        {
            var chunk = _log.Chunk(from, _committed, ReplicaMachine.ChunkShots);
            Send(name, new Sync(Epoch, _fingerprint, from, _log.DigestAt(from - 1), chunk, _host));
            return;
        }
        switch (_phase)
        {
            case Deciding:
                Send(name, new Decide(Epoch, _committed, _log.DigestAt(_committed), _committed == 0 ? null : _log[_committed], _committed == 0 ? 0 : _log.DigestAt(_committed - 1)));
                break;
            case Accepting accepting when from == accepting.Pending.Beat:
                SendAccept(name, accepting.Pending);
                break;
        }
    }

    private void Resend()
    {
        switch (_phase)
        {
            case Preparing preparing:
                foreach (var (name, _) in _roll.Present.Where(p => !preparing.Promises.ContainsKey(p.Name))) SendPrepare(name);
                break;
            case Fetching fetching:
                if (fetching.Holder is not null) Send(fetching.Holder, new Fetch(Epoch, _log.Count + 1));
                break;
            case Accepting accepting:
                foreach (var (name, _) in _roll.Present.Where(p => !accepting.Acks.Contains(p.Name))) SendAccept(name, accepting.Pending);
                if (!_waitingNoted && accepting.Acks.Count > 0)
                {
                    WaitingOnce($"beat {accepting.Pending.Beat} is stored by {accepting.Acks.Count} of {_n}: waiting for a majority");
                }
                break;
            case Deciding deciding:
                foreach (var (name, _) in _roll.Present.Where(p => !deciding.Done.Contains(p.Name))) CatchUp(name);
                break;
            default:
                return;
        }
        Timer(LeaderTimer.Resend, _timings.Resend);
    }

    private void OnRejected(long epoch, long promised, string who)
    {
        if (epoch != Epoch || _phase is Gathering) return;
        _highestSeen = Math.Max(_highestSeen, promised);
        if (promised < Epoch) return; // equal: another leader drew the same epoch and was promised it first
        Warn(LogEvents.SteppingDown, Epoch, who, promised);
        _phase = Gathering.Instance;
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

    private void Info(LogEvent e, params object?[] args) => _out.Add(new Note(NoteLevel.Info, e, args));

    private void Warn(LogEvent e, params object?[] args) => _out.Add(new Note(NoteLevel.Warning, e, args));

    private void Error(LogEvent e, params object?[] args) => _out.Add(new Note(NoteLevel.Error, e, args));

    private IReadOnlyList<LeaderEffect> Flush()
    {
        var effects = _out.ToArray();
        _out.Clear();
        return effects;
    }
}
