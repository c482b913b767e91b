using Cowboys.Actors.Game.Results;
using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Cowboys.Actors.Node.Cowboy;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Node.Ring;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Cowboys.Actors.Telemetry;
using Cowboys.Actors.Coordination;

namespace Cowboys.Actors.Node.Leader;

/// <summary>
/// The leader: a cluster singleton, and a thin shell over <see cref="LeaderMachine"/>. It turns
/// cluster membership into "present" and "away", finds each member's cowboy, carries the
/// machine's messages, timers, ring tokens and witness requests, and logs what it decides.
/// Being the singleton is not what makes it safe (two may run at once in a split or after a
/// pause): the epochs and the quorums are.
/// </summary>
public sealed class GameMaster : ReceiveActor, IWithTimers
{
    public const string SingletonName = "leader";
    public const string CowboyRole = "cowboy";
    private static readonly TimeSpan IdentifyEvery = TimeSpan.FromMilliseconds(250);

    private readonly GameSettings _game;
    private readonly IWitnessStore? _witness;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LeaderMachine _machine;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Attendance _attendance = new();
    private readonly Dictionary<string, Address> _addresses = new();
    private readonly Dictionary<string, IActorRef> _cowboys = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _tokenSentAt;

    /// <param name="host">The cowboy this member hosts: the leader names him in its accepts, so every replica can say who hosts the leader.</param>
    public GameMaster(GameSettings game, IWitnessStore? witness, string? host = null)
    {
        _game = game;
        _witness = witness;
        var self = Cluster.Get(Context.System).SelfUniqueAddress;
        // the member's address and uid name this leader uniquely: no two live members share an address
        _machine = new LeaderMachine(game, self.Uid, $"{self.Address}#{self.Uid}", new LeaderTimings { StartBarrier = game.StartBarrier }, host: host);

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
        Receive<TimerFired>(t => Run(_machine.OnTimer(t.Timer, t.Generation, Now)));
        Receive<IToLeader>(m => Run(_machine.OnMessage(m, Now)));
        Receive<Status.Failure>(f => _log.Warning(LogEvents.WitnessSilent.Template, f.Cause.Message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(GameSettings game, IWitnessStore? witness = null, string? host = null) => Akka.Actor.Props.Create(() => new GameMaster(game, witness, host));

    private TimeSpan Now => _clock.Elapsed;

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartPeriodicTimer(nameof(IdentifyTick), IdentifyTick.Instance, IdentifyEvery);
        _log.Info(LogEvents.LeaderStarted.Template, _cluster.SelfAddress);
        Run(_machine.Start(Now));
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _cluster.Unsubscribe(Self);
    }

    // ---- membership -------------------------------------------------------------------------

    private void OnMemberUp(Member member)
    {
        if (!member.HasRole(CowboyRole)) return;
        _attendance.MemberUp(Key(member.Address));
        Identify(member.Address);
    }

    private void OnMemberGone(Address address) => Away(_attendance.MemberGone(Key(address)));

    private void OnUnreachable(Address address) => Away(_attendance.Unreachable(Key(address)));

    private void OnReachable(Address address)
    {
        if (_attendance.Reachable(Key(address))) Identify(address);
    }

    private void Away(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            _cowboys.Remove(name);
            Run(_machine.OnAway(name, Now));
        }
    }

    private void Identify(Address address) =>
        Context.ActorSelection(new RootActorPath(address) / "user" / CowboyActor.ActorName).Tell(WhoAreYou.Instance);

    private void IdentifyStrangers()
    {
        foreach (var key in _attendance.Strangers.ToList()) Identify(_addresses[key]);
    }

    private void OnHello(Hello hello)
    {
        // a local sender's path has no host: it is this member
        var address = Sender.Path.Address.HasLocalScope ? _cluster.SelfAddress : Sender.Path.Address;
        var key = Key(address);
        if (!_attendance.Hello(hello.Name, key, _game.Roster.IndexOf(hello.Name) >= 0)) return;
        if (_attendance.AddressOf(hello.Name) == key) _cowboys[hello.Name] = Sender;
        Run(_machine.OnHello(hello, address.ToString(), Now));
    }

    /// <summary>A member's address as the attendance knows it (remembered, to ask it again).</summary>
    private string Key(Address address)
    {
        var key = address.ToString();
        _addresses[key] = address;
        return key;
    }

    // ---- the ring -----------------------------------------------------------------------------

    private void OnTokenBack(RingToken token)
    {
        if (token.Hop != token.Route.Length) return; // not played through: a misrouted token
        Run(_machine.OnTokenBack(token.Epoch, token.Attempt, token.State, Stopwatch.GetElapsedTime(_tokenSentAt), Now));
    }

    // ---- effects ------------------------------------------------------------------------------

    private void Run(IReadOnlyList<LeaderEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendTo s:
                    if (_cowboys.TryGetValue(s.Cowboy, out var cowboy)) cowboy.Tell(s.Message);
                    break;
                case SendToken t:
                    SendToken(t);
                    break;
                case AskWitness w:
                    AskWitness(w.Request);
                    break;
                case StartTimer t:
                    Timers.StartSingleTimer(t.Timer, new TimerFired(t.Timer, t.Generation), t.After);
                    break;
                case Note n:
                    _log.Log(n.Level switch { NoteLevel.Error => LogLevel.ErrorLevel, NoteLevel.Warning => LogLevel.WarningLevel, _ => LogLevel.InfoLevel },
                        n.Event.Template, [.. n.Args]);
                    break;
                case TokenHome home:
                    CowboysMetrics.RingRoundTrip.Record(home.RoundTrip.TotalSeconds);
                    break;
                case BeatCommitted c:
                    LogCommit(c);
                    break;
                case GameDecided d:
                    LogDecision(d);
                    break;
            }
        }
    }

    private void SendToken(SendToken t)
    {
        var stops = t.Route.Select(i => new RingStop(i, _cowboys[_game.Roster.Cowboys[i].Name])).ToImmutableArray();
        var token = new RingToken(t.Epoch, t.Attempt, 0, stops, t.State, Self);
        _tokenSentAt = Stopwatch.GetTimestamp();
        stops[0].Cowboy.Tell(token);
    }

    private void AskWitness(IToWitness request)
    {
        if (_witness is not { } witness) return; // without a witness an even split waits, as it must
        var stopping = _stopping.Token;
        Answer().PipeTo(Self);

        async Task<IToLeader> Answer()
        {
            IToLeader? answer = null;
            // the store may run the change more than once (compare-and-swap retries): the last run's answer is the one stored
            await witness.UpdateAsync(record =>
            {
                (var next, answer) = record.Handle(request);
                return next;
            }, stopping);
            return answer!;
        }
    }

    /// <summary>
    /// One structured event per forfeit, shot and death of the committed beat (named properties,
    /// so a JSON log carries them as fields), then the commit. Logged by the leader only, so a
    /// game's merged logs hold every shot exactly once, and only shots that count.
    /// </summary>
    private void LogCommit(BeatCommitted c)
    {
        var entry = c.Entry;
        foreach (var forfeit in Death.InBeat(entry.Beat, entry.Events, []))
        {
            _log.Info(LogEvents.Dead.Template, entry.Beat, forfeit.Cowboy, forfeit.How);
        }
        var kills = Death.Kills(entry.Shots).ToHashSet();
        foreach (var shot in entry.Shots)
        {
            _log.Info(LogEvents.Shot.Template, shot.Beat, shot.Shooter, shot.Target, shot.Damage, shot.TargetHealth);
            if (kills.Contains(shot)) _log.Info(LogEvents.Dead.Template, shot.Beat, shot.Target, Death.Shot);
        }
        _log.Info((c.Witness ? LogEvents.BeatCommittedWithWitness : LogEvents.BeatCommitted).Template,
            entry.Beat, entry.Shots.Length, GameRules.AliveCount(entry.Health), c.Acks, _game.Roster.Count);
        // the benchmark's figure: DEBUG, so it is shown only with --debug
        if (_machine.Ring.RoundTripsMs.Count > 0 && !entry.IsAbort)
        {
            _log.Debug(LogEvents.RingRoundTrip.Template, entry.Beat, Math.Round(_machine.Ring.RoundTripsMs[^1], 3));
        }
    }

    private void LogDecision(GameDecided d)
    {
        if (d.Final is { IsAbort: true } abort)
        {
            _log.Error(LogEvents.LeaderAborts.Template, abort.Abort!);
            return;
        }
        var beats = d.Final?.Beat ?? 0;
        if (d.Winner is null) _log.Info(LogEvents.Draw.Template, beats);
        else _log.Info(LogEvents.Winner.Template, d.Winner, beats);
        var trips = _machine.Ring.RoundTripsMs;
        if (trips.Count > 0)
        {
            _log.Debug(LogEvents.RingRoundTrips.Template, trips.Count,
                Math.Round(RingTimer.Percentile(trips, 50), 3), Math.Round(RingTimer.Percentile(trips, 99), 3));
        }
    }

    private sealed record IdentifyTick
    {
        public static readonly IdentifyTick Instance = new();
    }

    private sealed record TimerFired(LeaderTimer Timer, int Generation);
}
