using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Cowboys.Actors.Cowboy;
using Cowboys.Actors.Ring;
using Cowboys.Actors.Rules;

namespace Cowboys.Actors.Leader;

/// <summary>
/// The leader: a cluster singleton that runs the start barrier, ticks the beats, sends the ring
/// token round and commits what comes back. It holds no state that the cowboys do not also
/// hold: a new instance (after the old one's host died) rebuilds everything from their replies.
/// </summary>
public sealed class GameMaster : ReceiveActor, IWithTimers
{
    public const string SingletonName = "leader";
    public const string CowboyRole = "cowboy";
    private static readonly TimeSpan IdentifyEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(2);

    private readonly GameSettings _game;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, Member> _members = new();
    private readonly HashSet<Address> _unreachable = new();
    private readonly Dictionary<string, (IActorRef Ref, Address Address)> _cowboys = new();
    private readonly RingTimer _ring = new();
    private readonly Dictionary<string, long> _awaySince = new();
    private HashSet<string> _pendingAcks = new();
    private Phase _phase = Phase.Gathering;
    private GameSnapshot _snapshot;
    private GameSnapshot _lastCommitted;
    private GameResult? _result;
    private string? _abortReason;
    private long _epoch;
    private long _highestSeenEpoch;
    private bool _gameStarted;
    private int _attempt;
    private RingToken? _token;
    private long _tokenSentAt;
    private long _beatStartedAt;

    public GameMaster(GameSettings game)
    {
        _game = game;
        _snapshot = GameSnapshot.Initial(game.Roster);
        _lastCommitted = _snapshot;

        Receive<ClusterEvent.MemberUp>(e => OnMemberUp(e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => OnMemberGone(e.Member.Address));
        Receive<ClusterEvent.MemberExited>(e => OnMemberGone(e.Member.Address));
        Receive<ClusterEvent.MemberLeft>(e => OnMemberGone(e.Member.Address));
        Receive<ClusterEvent.UnreachableMember>(e => OnUnreachable(e.Member.Address));
        Receive<ClusterEvent.ReachableMember>(e => OnReachable(e.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<IdentifyTick>(_ => IdentifyStrangers());
        Receive<Hello>(OnHello);
        Receive<RingToken>(OnTokenBack);
        Receive<RingLost>(OnRingLost);
        Receive<CommitAck>(OnCommitAck);
        Receive<AcksOverdue>(_ => { if (_phase == Phase.AwaitingAcks) AfterCommit(); });
        Receive<NextBeat>(_ => { if (_phase == Phase.Resting) StartBeat(); });
        Receive<GameOverAck>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(GameSettings game) => Akka.Actor.Props.Create(() => new GameMaster(game));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartPeriodicTimer(nameof(IdentifyTick), IdentifyTick.Instance, IdentifyEvery);
        _log.Info("Leader started on {0}: waiting for the {1} cowboys of the roster", _cluster.SelfAddress, _game.Roster.Count);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    // ---- membership -------------------------------------------------------------------------

    private void OnMemberUp(Member member)
    {
        if (!member.HasRole(CowboyRole)) return;
        _members[member.Address] = member;
        Identify(member.Address);
    }

    private void OnMemberGone(Address address)
    {
        if (_members.Remove(address)) _unreachable.Remove(address);
        ForgetCowboysAt(address);
    }

    private void OnUnreachable(Address address)
    {
        if (!_members.ContainsKey(address)) return;
        _unreachable.Add(address);
        ForgetCowboysAt(address);
    }

    private void OnReachable(Address address)
    {
        if (_unreachable.Remove(address)) Identify(address);
    }

    private void ForgetCowboysAt(Address address)
    {
        foreach (var name in _cowboys.Where(c => c.Value.Address == address).Select(c => c.Key).ToList())
        {
            _cowboys.Remove(name);
            _awaySince.TryAdd(name, Stopwatch.GetTimestamp());
            if (_phase is not (Phase.Finishing or Phase.Aborted)) _log.Info("{0} is away ({1})", name, address);
            OnAbsent(name);
        }
    }

    private IEnumerable<Address> ReachableMembers => _members.Keys.Where(a => !_unreachable.Contains(a));

    private bool IsPresent(string name) => _cowboys.ContainsKey(name);

    private void Identify(Address address) =>
        Context.ActorSelection(new RootActorPath(address) / "user" / CowboyActor.ActorName).Tell(WhoAreYou.Instance);

    private void IdentifyStrangers()
    {
        var known = _cowboys.Values.Select(c => c.Address).ToHashSet();
        foreach (var address in ReachableMembers.Where(a => !known.Contains(a))) Identify(address);
    }

    private void OnHello(Hello hello)
    {
        // a local sender's path has no host: it is this member
        var address = Sender.Path.Address.HasLocalScope ? _cluster.SelfAddress : Sender.Path.Address;
        if (!_members.ContainsKey(address) || _unreachable.Contains(address)) return; // not (or no longer) an Up member

        if (_game.Roster.IndexOf(hello.Name) < 0 || hello.Fingerprint != _game.Fingerprint())
        {
            var why = _game.Roster.IndexOf(hello.Name) < 0
                ? $"the process at {address} plays \"{hello.Name}\", who is not in the roster"
                : $"\"{hello.Name}\" plays a different game (roster, rules or seed: {hello.Fingerprint} here {_game.Fingerprint()})";
            if (_phase == Phase.Gathering) Abort(why);
            else _log.Error("Ignoring a cowboy: {0}", why);
            return;
        }
        if (_cowboys.TryGetValue(hello.Name, out var existing) && existing.Address != address && _phase == Phase.Gathering)
        {
            Abort($"two processes both play \"{hello.Name}\": {existing.Address} and {address}");
            return;
        }

        var isNew = !_cowboys.ContainsKey(hello.Name);
        _cowboys[hello.Name] = (Sender, address);
        _awaySince.Remove(hello.Name);
        _highestSeenEpoch = Math.Max(_highestSeenEpoch, Math.Max(hello.HighestEpoch, hello.Snapshot.Epoch));
        if (hello.Snapshot.Epoch > 0) _gameStarted = true;
        if (_result is null && hello.Result is not null) _result = hello.Result;
        if (isNew && _phase != Phase.Gathering) _log.Info("{0} is back ({1})", hello.Name, address);

        switch (_phase)
        {
            case Phase.Gathering:
                if (hello.Snapshot.IsNewerThan(_snapshot)) _snapshot = _lastCommitted = hello.Snapshot;
                TryStart();
                break;
            case Phase.Finishing:
            case Phase.Aborted:
                TellEndTo(Sender);
                break;
            default:
                if (_lastCommitted.IsNewerThan(hello.Snapshot)) Sender.Tell(new Commit(_epoch, _lastCommitted));
                break;
        }
    }

    // ---- the start barrier --------------------------------------------------------------------

    private void TryStart()
    {
        if (ReachableMembers.Any(a => _cowboys.Values.All(c => c.Address != a))) return; // somebody has not answered yet
        if (_result is not null)
        {
            _phase = Phase.Finishing;
            _log.Info("The game had already ended; telling everybody again");
            Broadcast(new GameOver(_highestSeenEpoch, _result));
            return;
        }
        var everybody = _game.Roster.Cowboys.All(c => IsPresent(c.Name));
        if (!everybody && !_gameStarted) return;

        _epoch = NextEpoch();
        if (_gameStarted)
            _log.Info("Taking over the game after beat {0} as leader epoch {1}", _snapshot.Beat, _epoch);
        else
            _log.Info("All {0} cowboys are up: the game starts (rules {1}, seed {2}, leader epoch {3})",
                _game.Roster.Count, _game.Rules.ToWire(), _game.Seed, _epoch);
        _gameStarted = true;
        foreach (var missing in _game.Roster.Cowboys.Where(c => !IsPresent(c.Name))) _awaySince.TryAdd(missing.Name, Stopwatch.GetTimestamp());

        if (GameRules.IsOver(_snapshot.Health)) Finish();
        else StartBeat();
    }

    /// <summary>
    /// An epoch above every epoch any cowboy has seen; the low bits hold this incarnation's unique id,
    /// so two leaders that raced on the same replies still get different epochs.
    /// </summary>
    private long NextEpoch() => (((_highestSeenEpoch >> 20) + 1) << 20) | (uint)(_cluster.SelfUniqueAddress.Uid & 0xFFFFF);

    // ---- beats ----------------------------------------------------------------------------------

    private void StartBeat()
    {
        var beat = _snapshot.Beat + 1;
        if (_phase != Phase.AwaitingToken) _beatStartedAt = Stopwatch.GetTimestamp();

        ForfeitLongAbsentees(beat);
        if (GameRules.IsOver(_snapshot.Health))
        {
            CommitBeat(BeatState.Start(beat, _snapshot.Health), roundTrip: null); // the forfeits alone ended it
            return;
        }

        var route = GameRules.TurnOrder(_game.Roster.Count, beat)
            .Where(i => _snapshot.Health[i] > 0 && IsPresent(_game.Roster.Cowboys[i].Name))
            .Select(i => new RingStop(i, _cowboys[_game.Roster.Cowboys[i].Name].Ref))
            .ToImmutableArray();
        if (route.IsEmpty)
        {
            _phase = Phase.Resting;
            Timers.StartSingleTimer(nameof(NextBeat), NextBeat.Instance, TimeSpan.FromMilliseconds(200));
            return;
        }

        _attempt++;
        _token = new RingToken(_epoch, _attempt, 0, route, BeatState.Start(beat, _snapshot.Health), Self);
        _phase = Phase.AwaitingToken;
        _tokenSentAt = Stopwatch.GetTimestamp();
        route[0].Cowboy.Tell(_token);
        Timers.StartSingleTimer(nameof(RingLost), new RingLost(_attempt), _ring.LostAfter());
    }

    private void ForfeitLongAbsentees(int beat)
    {
        for (var i = 0; i < _game.Roster.Count; i++)
        {
            var name = _game.Roster.Cowboys[i].Name;
            if (_snapshot.Health[i] > 0 && _awaySince.TryGetValue(name, out var since) && Stopwatch.GetElapsedTime(since) >= _game.ForfeitAfter)
            {
                _log.Warning("{0} has been away for {1:F0} s: he forfeits in beat {2}", name, Stopwatch.GetElapsedTime(since).TotalSeconds, beat);
                _snapshot = _snapshot.Forfeit(beat, i, name);
            }
        }
    }

    private void OnTokenBack(RingToken token)
    {
        if (_phase != Phase.AwaitingToken || token.Epoch != _epoch || token.Attempt != _attempt
            || token.Hop != token.Route.Length || token.State.Beat != _snapshot.Beat + 1)
        {
            return; // an abandoned attempt or a superseded leader's token
        }
        Timers.Cancel(nameof(RingLost));
        var roundTrip = Stopwatch.GetElapsedTime(_tokenSentAt);
        _ring.Record(roundTrip);
        CommitBeat(token.State, roundTrip);
    }

    /// <summary>Makes a played beat the game's state and replicates it to every present cowboy.</summary>
    private void CommitBeat(BeatState played, TimeSpan? roundTrip)
    {
        var before = _snapshot;
        _snapshot = _snapshot.Commit(_epoch, played);
        var alive = GameRules.AliveCount(_snapshot.Health);
        _log.Info("beat {0} committed: {1} shots, {2} alive{3}", _snapshot.Beat, played.Shots.Length, alive,
            roundTrip is { } rt ? $", ring round trip {rt.TotalMilliseconds:F3} ms" : "");
        for (var i = 0; i < _game.Roster.Count; i++)
        {
            if (before.Health[i] > 0 && _snapshot.Health[i] == 0) _log.Info("beat {0}: {1} is dead", _snapshot.Beat, _game.Roster.Cowboys[i].Name);
        }

        _phase = Phase.AwaitingAcks;
        _pendingAcks = _cowboys.Keys.ToHashSet();
        var delta = _snapshot.DeltaSince(_lastCommitted);
        _lastCommitted = _snapshot;
        Broadcast(new Commit(_epoch, null, delta));
        Timers.StartSingleTimer(nameof(AcksOverdue), AcksOverdue.Instance, AckTimeout);
    }

    private void OnRingLost(RingLost lost)
    {
        if (_phase != Phase.AwaitingToken || lost.Attempt != _attempt) return;
        _log.Warning("The ring token of beat {0} did not come back within {1} ms: sending the beat again from the last commit",
            _snapshot.Beat + 1, _ring.LostAfter().TotalMilliseconds);
        StartBeat();
    }

    private void OnCommitAck(CommitAck ack)
    {
        if (_phase != Phase.AwaitingAcks || ack.Epoch != _epoch) return;
        if (ack.Beat < _snapshot.Beat)
        {
            Sender.Tell(new Commit(_epoch, _lastCommitted)); // he missed a beat: catch him up in full
            return;
        }
        _pendingAcks.Remove(ack.Name);
        if (_pendingAcks.Count == 0) AfterCommit();
    }

    private void OnAbsent(string name)
    {
        switch (_phase)
        {
            case Phase.AwaitingAcks:
                _pendingAcks.Remove(name);
                if (_pendingAcks.Count == 0) AfterCommit();
                break;
            case Phase.AwaitingToken when _token is not null && _token.Route.Any(s => _game.Roster.Cowboys[s.Index].Name == name):
                _log.Warning("{0} left while the token of beat {1} was out: sending the beat again", name, _snapshot.Beat + 1);
                StartBeat();
                break;
        }
    }

    private void AfterCommit()
    {
        Timers.Cancel(nameof(AcksOverdue));
        if (GameRules.IsOver(_snapshot.Health))
        {
            Finish();
            return;
        }
        _phase = Phase.Resting;
        var rest = _game.BeatInterval - Stopwatch.GetElapsedTime(_beatStartedAt);
        if (rest <= TimeSpan.Zero) StartBeat();
        else Timers.StartSingleTimer(nameof(NextBeat), NextBeat.Instance, rest);
    }

    // ---- the end ----------------------------------------------------------------------------

    private void Finish()
    {
        _phase = Phase.Finishing;
        _result ??= _snapshot.ToResult(_game.Roster, _game.Rules, _game.Seed);
        _log.Info(_result.Winner is null
            ? "Nobody is left standing after {0} beats: a draw"
            : "Last man standing is {1}, after {0} beats", _result.Beats, _result.Winner ?? "");
        if (_ring.RoundTripsMs.Count > 0)
        {
            _log.Info("ring round trips over {0} beats: p50 {1:F3} ms, p99 {2:F3} ms", _ring.RoundTripsMs.Count,
                RingTimer.Percentile(_ring.RoundTripsMs, 50), RingTimer.Percentile(_ring.RoundTripsMs, 99));
        }
        Broadcast(new GameOver(_epoch, _result));
    }

    private void Abort(string reason)
    {
        _phase = Phase.Aborted;
        _abortReason = reason;
        _log.Error("The game cannot start: {0}", reason);
        foreach (var address in ReachableMembers)
        {
            Context.ActorSelection(new RootActorPath(address) / "user" / CowboyActor.ActorName).Tell(new GameAborted(_epoch, reason));
        }
    }

    private void TellEndTo(IActorRef cowboy)
    {
        if (_phase == Phase.Aborted) cowboy.Tell(new GameAborted(_epoch, _abortReason!));
        else if (_result is not null) cowboy.Tell(new GameOver(_epoch, _result));
    }

    private void Broadcast(object message)
    {
        foreach (var cowboy in _cowboys.Values) cowboy.Ref.Tell(message);
    }

    private enum Phase { Gathering, AwaitingToken, AwaitingAcks, Resting, Finishing, Aborted }

    private sealed record IdentifyTick { public static readonly IdentifyTick Instance = new(); }

    private sealed record NextBeat { public static readonly NextBeat Instance = new(); }

    private sealed record AcksOverdue { public static readonly AcksOverdue Instance = new(); }

    private sealed record RingLost(int Attempt);
}
