using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Node.Ring;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Cowboys.Actors.Telemetry;
using Cowboys.Actors.Coordination;

namespace Cowboys.Actors.Node.Cowboy;

/// <summary>
/// One cowboy, one per process: a thin shell over his <see cref="ReplicaMachine"/>. He takes his
/// turn when the ring token reaches him (the pure rules on the token's state), stores what the
/// replica must keep before he answers, and reports the game's end once his replica holds the
/// decided log.
/// </summary>
public sealed class CowboyActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "cowboy";

    private readonly GameSettings _game;
    private readonly string _name;
    private readonly int _index;
    private readonly IGameObserver? _observer;
    private readonly FileReplicaStore? _store;
    private readonly ReplicaMachine _replica;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private GameView _view;
    private static readonly TimeSpan LingerFor = TimeSpan.FromSeconds(5);
    private bool _ended;
    private bool _left;
    private bool _waitingForOthers;
    private HashSet<UniqueAddress> _others = [];

    /// <param name="firstIncarnation">In Kubernetes, whether this process won the claim of being its cowboy's first (null: no claim is made; see <see cref="VotingRight"/>).</param>
    public CowboyActor(GameSettings game, string name, IGameObserver? observer, string? stateDirectory, bool? firstIncarnation = null)
    {
        _game = game;
        _name = name;
        _index = game.Roster.IndexOf(name);
        if (_index < 0) throw new ArgumentException($"cowboy \"{name}\" is not in the roster", nameof(name));
        _observer = observer;
        _store = stateDirectory is null ? null : new FileReplicaStore(stateDirectory);
        _replica = new ReplicaMachine(game, name, _store?.Loaded, VotingRight.Of(_store is not null, firstIncarnation));
        if (!_replica.Voter)
        {
            _log.Warning(LogEvents.NotAVoter.Template, firstIncarnation is false
                ? "an earlier process of mine may have promised something I no longer know (this is a replacement)"
                : "I keep my replica in memory only, so a restart would forget my promises (give a --state-dir)");
        }
        _view = GameView.Initial(game.Roster);
        if (_store is { Loaded.Entries.Count: > 0 } s)
        {
            _log.Info(LogEvents.ReplicaRecovered.Template, s.Path, s.Loaded.Promised, s.Loaded.Entries.Count);
        }

        Receive<RingToken>(OnToken);
        Receive<Dismiss>(_ => { if (_ended) OnDismissed(); });
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            var self = Cluster.Get(Context.System).SelfUniqueAddress;
            _others = state.Members.Where(m => !m.UniqueAddress.Equals(self) && m.Status != MemberStatus.Removed).Select(m => m.UniqueAddress).ToHashSet();
            if (_others.Count == 0) LeaveCluster();
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (_others.Remove(removed.Member.UniqueAddress) && _others.Count == 0) LeaveCluster();
        });
        Receive<LingerOver>(_ => LeaveCluster());
        Receive<IToReplica>(message =>
        {
            foreach (var effect in _replica.Handle(message)) Apply(effect);
        });
    }

    public static Props Props(GameSettings game, string name, IGameObserver? observer, string? stateDirectory = null, bool? firstIncarnation = null) =>
        Akka.Actor.Props.Create(() => new CowboyActor(game, name, observer, stateDirectory, firstIncarnation));

    protected override void PostStop()
    {
        if (_waitingForOthers) Cluster.Get(Context.System).Unsubscribe(Self);
        _store?.Dispose();
    }

    private void OnToken(RingToken token)
    {
        switch (_replica.OnToken(token.Epoch, token.CurrentStop?.Index, token.State))
        {
            case TokenFenced fenced:
                _log.Info(LogEvents.SupersededToken.Template, token.Epoch, fenced.Answer.Promised);
                token.Leader.Tell(fenced.Answer);
                break;
            case TokenPlayed played:
                if (played.Shot is { } shot)
                {
                    // DEBUG: tentative until committed (the leader logs every committed shot), and a line on every hop of the ring
                    _log.Debug(LogEvents.Shooting.Template, shot.Beat, shot.Target, shot.Damage, shot.TargetHealth);
                }
                token.NextRecipient.Tell(token.Advance(played.After));
                break;
        }
    }

    private void Apply(ReplicaEffect effect)
    {
        switch (effect)
        {
            case StorePromise p:
                _store?.StorePromise(p.Epoch, p.Leader);
                // a promise is stored once per new epoch: a new game leader
                CowboysMetrics.LeaderChanges.Add(1, CowboysMetrics.GameLeader);
                break;
            case StoreEntries s:
                _store?.StoreEntries(s.Entries);
                break;
            case Reply r:
                Sender.Tell(r.Message);
                break;
            case BeatLearned learned:
                OnLearned(learned.Entry, learned.LeaderHost);
                break;
            case GameFinished f:
                OnFinished(f.Result);
                break;
            case GameAborted a:
                if (_ended) break;
                _ended = true;
                _log.Error(LogEvents.GameAborted.Template, a.Reason);
                _observer?.Aborted(a.Reason);
                Linger();
                break;
        }
    }

    private void OnLearned(BeatEntry entry, string? leaderHost)
    {
        if (entry.IsAbort) return;
        var before = _replica.Log.HealthAfter(entry.Beat - 1);
        var mine = entry.Health[_index];
        if (mine < before[_index])
        {
            if (mine == 0) _log.Info(LogEvents.HitAndDead.Template, entry.Beat);
            else _log.Info(LogEvents.Hit.Template, entry.Beat, mine);
        }
        var next = CommittedView.Next(_view, entry, leaderHost);
        // the view already knows who died in this beat: count from it rather than work it out again
        CowboysMetrics.Beats.Add(1);
        CowboysMetrics.Shots.Add(entry.Shots.Length);
        if (next.Deaths.Length > _view.Deaths.Length) CowboysMetrics.Deaths.Add(next.Deaths.Length - _view.Deaths.Length);
        _view = next;
        _observer?.Committed(_view);
    }

    private void OnFinished(GameResult result)
    {
        if (_ended) return;
        _ended = true;
        if (result.Winner is null)
        {
            _log.Info(LogEvents.OverInADraw.Template, result.Beats);
        }
        else
        {
            _log.Info(LogEvents.OverWithAWinner.Template, result.Beats, result.Winner);
            if (result.Winner == _name) _log.Info(LogEvents.LastManStanding.Template, _name);
        }
        _observer?.Finished(result);
        Linger();
    }

    /// <summary>
    /// Stays in the cluster a little after the end, until the leader dismisses everybody: if this
    /// is the leader's host, leaving at once would take the leader away before the others know.
    /// </summary>
    private void Linger() => Timers.StartSingleTimer(nameof(LingerOver), LingerOver.Instance, LingerFor);

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// The leader dismisses everybody at once. Its own host leaves last: leaving while the others
    /// are still members, its singleton would try (for a second or more) to hand the leader over
    /// to members that are leaving too. Alone, it stops at once. The linger timer still bounds it.
    /// </summary>
    private void OnDismissed()
    {
        // a remote leader, or the local one dismissing again: go now
        if (!Sender.Path.Address.HasLocalScope || _waitingForOthers)
        {
            LeaveCluster();
            return;
        }
        _waitingForOthers = true;
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsSnapshot, typeof(ClusterEvent.MemberRemoved));
    }

    private void LeaveCluster()
    {
        if (_left) return;
        _left = true;
        CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
    }

    private sealed record LingerOver
    {
        public static readonly LingerOver Instance = new();
    }
}
