using System.Collections.Immutable;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;

namespace Cowboys.Actors.Protocol;

/// <summary>
/// One cowboy's replica of the game, as a pure state machine: a leader's message in, what to
/// store and answer out. An acceptor in Paxos terms, holding a log of beats: it promises epochs
/// (never going back), accepts a beat only on top of the log the leader names, and announces the
/// end only when it holds the decided log. See docs/decisions/0011-majority-commits.md.
/// </summary>
public sealed class ReplicaMachine
{
    /// <summary>Chunks of the log carry at most this many shots, so no message grows with the game.</summary>
    public const int ChunkShots = 400;

    private readonly GameSettings _game;
    private readonly string _fingerprint;
    private readonly ProtocolMutation _mutations;
    private readonly int _index;

    /// <param name="stored">What this process recovered from its durable store (null: it has none).</param>
    /// <param name="voter">
    /// Whether this process can prove what it promised before: see <see cref="VotingRight"/>.
    /// A process that cannot never counts toward a quorum.
    /// </param>
    public ReplicaMachine(GameSettings game, string name, StoredReplica? stored, bool voter, ProtocolMutation mutations = ProtocolMutation.None)
    {
        _game = game;
        Name = name;
        _fingerprint = game.Fingerprint();
        _mutations = mutations;
        _index = game.Roster.IndexOf(name);
        Voter = voter;
        Log = new ReplicaLog(game.Roster.StartingHealth());
        if (stored is not null)
        {
            Promised = stored.Promised;
            PromisedTo = stored.PromisedTo;
            foreach (var entry in stored.Entries) Log.Append(entry);
            // everything but the last entry is committed; the last is learned again from a leader
            CommittedBeat = Math.Max(0, Log.Count - 1);
        }
    }

    public string Name { get; }

    public long Promised { get; private set; }

    /// <summary>The leader <see cref="Promised"/> was promised to (null: learned from an accept, or never).</summary>
    public string? PromisedTo { get; private set; }

    public ReplicaLog Log { get; }

    public int CommittedBeat { get; private set; }

    /// <summary>The beat that ended the game, once decided.</summary>
    public int? DecidedBeat { get; private set; }

    /// <summary>Whether this replica's promises and acknowledgements count toward a quorum (fixed for the life of the process).</summary>
    public bool Voter { get; }

    /// <summary>
    /// The ring token reached this cowboy at a stop for roster index <paramref name="stop"/>: a token of
    /// a superseded leader is fenced; otherwise his turn is played on it (the pure rules).
    /// </summary>
    public TokenStep OnToken(long epoch, int? stop, BeatState state)
    {
        if (epoch < Promised) return new TokenFenced(new Rejected(epoch, Name, Promised));
        if (stop != _index) return TokenNotMine.Instance;
        var after = GameRules.Turn(_game.Rules, _game.Roster, _game.Seed, state, _index);
        return new TokenPlayed(after, after.Shots.Length > state.Shots.Length ? after.Shots[^1] : null);
    }

    public IReadOnlyList<ReplicaEffect> Handle(IToReplica message) => message switch
    {
        WhoAreYou => [new Reply(new Hello(Name, _fingerprint, Promised, Log.Last, Log.LastDigest, Voter, DecidedBeat is not null))],
        Prepare p => OnPrepare(p),
        Accept a => OnAccept(a),
        Sync s => OnSync(s),
        Fetch f => OnFetch(f),
        Decide d => OnDecide(d),
        _ => [],
    };

    private IReadOnlyList<ReplicaEffect> OnPrepare(Prepare prepare)
    {
        if (!Epochs.MayPromise(Promised, PromisedTo, prepare.Epoch, prepare.Leader, _mutations)) return [Reject(prepare.Epoch)];
        var effects = new List<ReplicaEffect>();
        if (prepare.Epoch > Promised || PromisedTo != prepare.Leader)
        {
            Promised = prepare.Epoch;
            PromisedTo = prepare.Leader;
            effects.Add(new StorePromise(Promised, PromisedTo));
        }
        effects.Add(new Reply(new Promise(prepare.Epoch, Name, _fingerprint, Log.Last, Log.LastDigest, Voter)));
        return effects;
    }

    private IReadOnlyList<ReplicaEffect> OnAccept(Accept accept)
    {
        if (accept.Epoch < Promised) return [Reject(accept.Epoch)];
        var effects = new List<ReplicaEffect>();
        RaisePromise(accept.Epoch, effects);
        if (DecidedBeat is not null)
        {
            effects.Add(DoneNow(accept.Epoch));
            return effects;
        }
        var entry = accept.Entry;
        var playable = entry.IsAbort || accept.Fingerprint == _fingerprint; // an abort ends any game; a beat only this one
        var below = _mutations.HasFlag(ProtocolMutation.IgnoreBaseDigest) ? entry.Beat - 1 <= Log.Count : Log.Matches(entry.Beat - 1, accept.BaseDigest);
        if (DecidedBeat is null && playable && entry.Epoch == accept.Epoch && below)
        {
            if (entry.Beat == Log.Count + 1)
            {
                Log.Append(entry);
                effects.Add(new StoreEntries([entry]));
            }
            else if (entry.Beat == Log.Count && (Log[entry.Beat].Digest == entry.Digest ? Log[entry.Beat].Epoch < entry.Epoch : entry.Beat > CommittedBeat))
            {
                // the last beat: a newer leader's outcome replaces it, or the same outcome is accepted again under its epoch
                Log.Replace(entry);
                effects.Add(new StoreEntries([entry]));
            }
            Learn(entry.Beat - 1, accept.LeaderHost, effects);
        }
        effects.Add(AckNow(accept.Epoch));
        return effects;
    }

    private IReadOnlyList<ReplicaEffect> OnSync(Sync sync)
    {
        if (sync.Epoch < Promised) return [Reject(sync.Epoch)];
        var effects = new List<ReplicaEffect>();
        RaisePromise(sync.Epoch, effects);
        if (DecidedBeat is not null)
        {
            effects.Add(DoneNow(sync.Epoch));
            return effects;
        }
        var playable = sync.Fingerprint == _fingerprint || sync.Entries.All(e => e.IsAbort);
        if (DecidedBeat is null && playable && sync.Entries.Length > 0 && sync.From >= 1 && Log.Matches(sync.From - 1, sync.BaseDigest))
        {
            var stored = ImmutableArray.CreateBuilder<BeatEntry>();
            var learnedUpTo = CommittedBeat;
            foreach (var entry in sync.Entries)
            {
                if (entry.Beat > Log.Count + 1) break;
                if (entry.Beat == Log.Count + 1)
                {
                    Log.Append(entry);
                    stored.Add(entry);
                }
                else if (Log[entry.Beat].Digest != entry.Digest)
                {
                    // only our last beat can differ from a committed one: it was never committed
                    if (entry.Beat != Log.Count || entry.Beat <= CommittedBeat) break;
                    Log.Replace(entry);
                    stored.Add(entry);
                }
                learnedUpTo = entry.Beat; // every synced entry is committed
            }
            if (stored.Count > 0) effects.Add(new StoreEntries(stored.ToImmutable()));
            Learn(learnedUpTo, sync.LeaderHost, effects);
        }
        effects.Add(AckNow(sync.Epoch));
        return effects;
    }

    private IReadOnlyList<ReplicaEffect> OnFetch(Fetch fetch)
    {
        if (fetch.Epoch < Promised) return [Reject(fetch.Epoch)];
        return [new Reply(new Fetched(fetch.Epoch, Name, fetch.From, Log.Chunk(fetch.From, Log.Count, ChunkShots), Log.Last))];
    }

    private IReadOnlyList<ReplicaEffect> OnDecide(Decide decide)
    {
        if (decide.Epoch < Promised) return [Reject(decide.Epoch)];
        if (DecidedBeat is not null) return [DoneNow(decide.Epoch)];
        var effects = new List<ReplicaEffect>();
        RaisePromise(decide.Epoch, effects);
        if (!Log.Matches(decide.Beat, decide.Digest) && decide.Final is { } final0 && final0.Beat == decide.Beat && final0.Digest == decide.Digest
            && Log.Matches(decide.Beat - 1, decide.BaseDigest) && (final0.IsAbort || decide.Beat > CommittedBeat))
        {
            // one beat behind: the decided beat itself comes with the decision
            if (final0.Beat == Log.Count + 1) Log.Append(final0);
            else Log.Replace(final0);
            effects.Add(new StoreEntries([final0]));
        }
        if (!Log.Matches(decide.Beat, decide.Digest))
        {
            effects.Add(AckNow(decide.Epoch)); // further behind: the leader catches us up first
            return effects;
        }

        Learn(decide.Beat, null, effects); // the end: GET /game shows the result, which names no leader
        DecidedBeat = decide.Beat;
        var final = decide.Beat == 0 ? null : Log[decide.Beat];
        effects.Add(final is { IsAbort: true }
            ? new GameAborted(final.Abort!)
            : new GameFinished(Log.ResultAt(_game.Roster, _game.Rules, _game.Seed, decide.Beat)));
        effects.Add(DoneNow(decide.Epoch));
        return effects;
    }

    private void RaisePromise(long epoch, List<ReplicaEffect> effects)
    {
        if (epoch <= Promised) return;
        Promised = epoch;
        PromisedTo = null; // an accept or a sync does not say which leader sent it
        effects.Add(new StorePromise(epoch, null));
    }

    private void Learn(int upTo, string? leaderHost, List<ReplicaEffect> effects)
    {
        upTo = Math.Min(upTo, Log.Count);
        while (CommittedBeat < upTo)
        {
            CommittedBeat++;
            effects.Add(new BeatLearned(Log[CommittedBeat], leaderHost));
        }
    }

    private Reply DoneNow(long epoch) => new(new Done(epoch, Name, DecidedBeat!.Value, Log.DigestAt(DecidedBeat.Value)));

    private Reply AckNow(long epoch) => new(new Ack(epoch, Name, Log.Last, Log.LastDigest, Voter));

    private Reply Reject(long epoch) => new(new Rejected(epoch, Name, Promised));
}
