using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Cowboys.Actors.Leader;
using Cowboys.Actors.Ring;
using Cowboys.Actors.Rules;

namespace Cowboys.Actors.Cowboy;

/// <summary>
/// One cowboy, one per process. He shoots when the ring token reaches him, using only the
/// token's state and the pure rules, and keeps a replica of the last committed beat.
/// </summary>
public sealed class CowboyActor : ReceiveActor
{
    public const string ActorName = "cowboy";

    private readonly GameSettings _game;
    private readonly string _name;
    private readonly int _index;
    private readonly IGameObserver? _observer;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private GameSnapshot _snapshot;
    private long _highestEpoch;
    private GameResult? _result;
    private bool _aborted;

    public CowboyActor(GameSettings game, string name, IGameObserver? observer)
    {
        _game = game;
        _name = name;
        _index = game.Roster.IndexOf(name);
        if (_index < 0) throw new ArgumentException($"cowboy \"{name}\" is not in the roster", nameof(name));
        _observer = observer;
        _snapshot = GameSnapshot.Initial(game.Roster);

        Receive<WhoAreYou>(_ => Sender.Tell(new Hello(_name, _game.Fingerprint(), _highestEpoch, _snapshot, _result)));
        Receive<RingToken>(OnToken);
        Receive<Commit>(OnCommit);
        Receive<GameOver>(OnGameOver);
        Receive<GameAborted>(OnAborted);
    }

    public static Props Props(GameSettings game, string name, IGameObserver? observer) =>
        Akka.Actor.Props.Create(() => new CowboyActor(game, name, observer));

    /// <summary>Drops messages of a leader that has been superseded (a lower epoch than one already seen).</summary>
    private bool IsCurrent(long epoch)
    {
        if (epoch < _highestEpoch) return false;
        _highestEpoch = epoch;
        return true;
    }

    private void OnToken(RingToken token)
    {
        if (!IsCurrent(token.Epoch))
        {
            _log.Info("Ignoring a ring token of superseded leader epoch {0} (current {1})", token.Epoch, _highestEpoch);
            return;
        }
        if (token.CurrentStop?.Index != _index) return; // not addressed to me: a misrouted or duplicated token

        var before = token.State.Shots.Length;
        var after = GameRules.Turn(_game.Rules, _game.Roster, _game.Seed, token.State, _index);
        if (after.Shots.Length > before)
        {
            var shot = after.Shots[^1];
            _log.Info("beat {0}: I shoot {1} for {2} ({1} has {3} left)", shot.Beat, shot.Target, shot.Damage, shot.TargetHealth);
        }
        token.NextRecipient.Tell(token.Advance(after));
    }

    private void OnCommit(Commit commit)
    {
        if (!IsCurrent(commit.Epoch)) return;
        var held = _snapshot;
        var previous = _snapshot.Health[_index];
        if (commit.Snapshot is { } full)
        {
            if (full.IsNewerThan(_snapshot)) _snapshot = full;
        }
        else if (_snapshot.Apply(commit.Epoch, commit.Delta!) is { } next)
        {
            _snapshot = next;
        }
        if (!ReferenceEquals(held, _snapshot)) _observer?.Committed(_snapshot);
        var now = _snapshot.Health[_index];
        if (now < previous)
        {
            if (now == 0) _log.Info("beat {0}: I'm hit and dead", _snapshot.Beat);
            else _log.Info("beat {0}: I'm hit, {1} health left", _snapshot.Beat, now);
        }
        // acknowledges the beat this replica now holds: behind the commit, the leader sends the whole snapshot
        Sender.Tell(new CommitAck(commit.Epoch, _snapshot.Beat, _name));
    }

    private void OnGameOver(GameOver over)
    {
        Sender.Tell(new GameOverAck(over.Epoch, _name));
        if (_result is not null || _aborted) return;
        _result = over.Result;
        if (over.Result.Winner is null)
        {
            _log.Info("The game is over after {0} beats: a draw, nobody is left standing", over.Result.Beats);
        }
        else
        {
            _log.Info("The game is over after {0} beats: the last man standing is {1}", over.Result.Beats, over.Result.Winner);
            if (over.Result.Winner == _name) _log.Info("I, {0}, am the last man standing", _name);
        }
        _observer?.Finished(over.Result);
        LeaveCluster();
    }

    private void OnAborted(GameAborted aborted)
    {
        if (_result is not null || _aborted) return;
        _aborted = true;
        _log.Error("The game was aborted: {0}", aborted.Reason);
        _observer?.Aborted(aborted.Reason);
        LeaveCluster();
    }

    private void LeaveCluster() =>
        CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
}
