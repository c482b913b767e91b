using System.Collections.Immutable;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Cowboys.Tests.Safety;

namespace Cowboys.Tests.Actors.Protocol;

/// <summary>
/// A deterministic simulation of a whole game, in the manner of FoundationDB's and TigerBeetle's:
/// the real leader and replica state machines, a simulated network and clock, and a nemesis, all
/// driven by one seed. Messages are delayed, lost, duplicated and reordered; nodes crash and
/// restart from what they stored, freeze and wake up; the network splits (the leader's side the
/// minority among them). The cluster singleton is modelled adversarially: every side of a split
/// runs its own leader until the side is downed, and a frozen leader wakes up still believing it
/// leads. Each run is checked: at most one result, every result replays, and a committed beat is
/// never committed with another outcome.
/// </summary>
public sealed class Simulation
{
    public static readonly TimeSpan Detection = TimeSpan.FromMilliseconds(900);
    public static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(2.5);
    public static readonly TimeSpan StartBarrier = TimeSpan.FromSeconds(20);

    private readonly Random _rng;
    private readonly SimulationOptions _options;
    private readonly GameSettings _game;
    private readonly Node[] _nodes;
    private readonly PriorityQueue<Action, (TimeSpan, long)> _events = new();
    private readonly Dictionary<int, BeatEntry> _committed = new();
    private readonly List<string> _violations = new();
    private readonly List<(int Node, string Outcome, GameResult? Result)> _outcomes = new();
    private WitnessRecord _witness = WitnessRecord.Empty;
    private TimeSpan _witnessDownUntil;
    private int[] _side;
    private long _seq;
    private long _incarnations;
    private TimeSpan _now;

    public Simulation(int seed, SimulationOptions? options = null)
    {
        _rng = new Random(seed);
        _options = options ?? new SimulationOptions();
        var n = _options.Cowboys ?? _rng.Next(1, 8);
        var health = _options.Health;
        var roster = new Roster("sim", Enumerable.Range(0, n)
            .Select(i => new CowboySpec($"C{i}", _rng.Next(Math.Min(_options.MinHealth, health), health + 1), _rng.Next(1, 4))).ToImmutableArray());
        _game = new GameSettings(roster, _rng.Next(2) == 0 ? RuleSet.Sequential : RuleSet.Simultaneous, _rng.NextInt64(), TimeSpan.FromMilliseconds(_rng.Next(0, 3) * 50))
        {
            ForfeitAfter = TimeSpan.FromSeconds(6),
        };
        _nodes = Enumerable.Range(0, n).Select(i => new Node(i, roster.Cowboys[i].Name) { Game = _game }).ToArray();
        _side = new int[n];
        // the start barrier's other outcomes: a process that plays another game, one that comes too late
        if (_rng.NextDouble() < _options.Mismatch) _nodes[_rng.Next(n)].Game = _game with { Seed = _game.Seed + 1 };
        if (_rng.NextDouble() < _options.LateStart) _nodes[_rng.Next(n)].StartAfter = StartBarrier + TimeSpan.FromMilliseconds(_rng.Next(0, 5000));
    }

    public GameSettings Game => _game;

    public IReadOnlyList<string> Violations => _violations;

    public IReadOnlyList<(int Node, string Outcome, GameResult? Result)> Outcomes => _outcomes;

    public int CommittedBeats => _committed.Count;

    public List<string> Trace { get; } = new();

    public long Messages { get; private set; }

    /// <summary>Whether every node that is up at the end knows the one result.</summary>
    public bool Finished => _nodes.All(n => n.Outcome is not null);

    public Simulation Run()
    {
        foreach (var node in _nodes) StartNode(node, node.StartAfter ?? TimeSpan.FromMilliseconds(_rng.Next(0, 300)));
        ScheduleTick(TimeSpan.Zero);
        ScheduleNemesis();
        while (_events.TryDequeue(out var action, out var at))
        {
            if (at.Item1 > _options.Duration) break;
            _now = at.Item1;
            action();
            if (_nodes.All(n => n.Outcome is not null)) break;
        }
        CheckOutcomes();
        return this;
    }

    // ---- nodes -----------------------------------------------------------------------------------

    private void StartNode(Node node, TimeSpan after) => At(after, () =>
    {
        var stored = _options.Store(new StoredReplica(node.StoredPromise, node.StoredPromisedTo, node.StoredEntries.ToList()));
        node.Starts++;
        bool? first = _options.Pods ? node.Starts == 1 || _options.ReplacementsVote : null;
        node.Replica = new ReplicaMachine(node.Game, node.Name, _options.Pods ? null : stored, VotingRight.Of(!_options.Pods && stored is not null, first), _options.Mutations);
        if (node.Replica.Voter && !_options.Pods && node.Replica.Promised < node.VoterPromised)
        {
            _violations.Add($"invariant: {node.Name} came back having promised {node.Replica.Promised}, below the {node.VoterPromised} it promised before");
        }
        node.Up = true;
        node.Paused = false;
        node.Downed = false;
        node.Generation++;
        node.JoinedAt = _now;
    });

    private void Crash(Node node, TimeSpan restartAfter)
    {
        if (!node.Up) return;
        node.Up = false;
        node.Leader = null;
        node.Replica = null;
        node.Generation++;
        if (node.Outcome is null) StartNode(node, restartAfter);
    }

    private bool Alive(Node node) => node.Up && !node.Paused;

    private bool CanReach(Node a, Node b) => _side[a.Index] == _side[b.Index];

    // ---- the network -----------------------------------------------------------------------------

    private void Deliver(Node from, Node to, Action<Node> receive)
    {
        Messages++;
        var copies = _rng.NextDouble() < _options.Duplicate ? 2 : 1;
        for (var c = 0; c < copies; c++)
        {
            if (_rng.NextDouble() < _options.Loss) continue;
            var delay = TimeSpan.FromMilliseconds(_rng.NextDouble() < 0.05 ? _rng.Next(50, 800) : _rng.Next(1, 15));
            var generation = to.Generation;
            At(delay, () => Arrive(from, to, generation, receive));
        }
    }

    private void Arrive(Node from, Node to, int generation, Action<Node> receive)
    {
        if (!to.Up || to.Generation != generation || !CanReach(from, to)) return;
        if (to.Paused)
        {
            to.Held.Add(() => Arrive(from, to, to.Generation, receive)); // a frozen process reads its socket when it wakes
            return;
        }
        receive(to);
    }

    /// <summary>The most shots any one message carried: no message may grow with the game.</summary>
    public int MaxShotsInAMessage { get; private set; }

    private void Measure(object message)
    {
        var shots = message switch
        {
            Accept a => a.Entry.Shots.Length,
            Sync s => s.Entries.Sum(e => e.Shots.Length),
            Fetched f => f.Entries.Sum(e => e.Shots.Length),
            Decide d => d.Final?.Shots.Length ?? 0,
            _ => 0,
        };
        MaxShotsInAMessage = Math.Max(MaxShotsInAMessage, shots);
    }

    private void ToReplica(Node from, Node to, IToReplica message)
    {
        Measure(message);
        Deliver(from, to, node => HandleAtReplica(from, node, message));
    }

    private void HandleAtReplica(Node from, Node node, IToReplica message)
    {
        var original = EpochOf(message);
        if (!_options.FenceEpochs) message = (IToReplica)WithEpoch(message, Math.Max(original, node.Replica!.Promised));
        var handled = node.Replica!.Handle(message);
        if (_options.Verbose) Trace.Add($"{_now.TotalSeconds:F2}s {node.Name} <- {from.Name}: {Brief(message)} => {string.Join(", ", handled.Select(e => e is Reply r ? Brief(r.Message) : e.GetType().Name))}");
        foreach (var effect in handled)
        {
            // the "no fencing" mutation: the replica is shown every leader's message as if it came from
            // the epoch it promised, and its answers are given back the epoch the leader used
            var e = !_options.FenceEpochs && effect is Reply r ? new Reply((IToLeader)WithEpoch(r.Message, original)) : effect;
            ApplyReplicaEffect(node, from, e);
        }
    }

    private static string Brief(object m) => m switch
    {
        Accept a => $"Accept(e{a.Epoch >> 20}, {a.Entry.Beat}@{a.Entry.Epoch >> 20}, base {a.BaseDigest & 0xFFF:x})",
        Ack a => $"Ack(e{a.Epoch >> 20}, {a.Last.Beat}@{a.Last.Epoch >> 20} {a.LastDigest & 0xFFF:x})",
        Sync s => $"Sync(e{s.Epoch >> 20}, from {s.From}, {s.Entries.Length})",
        Rejected r => $"Rejected(e{r.Epoch >> 20}, promised e{r.Promised >> 20})",
        _ => m.GetType().Name,
    };

    private static long EpochOf(object message) => message switch
    {
        Prepare p => p.Epoch, Accept a => a.Epoch, Sync s => s.Epoch, Fetch f => f.Epoch, Decide d => d.Epoch, _ => 0,
    };

    private static object WithEpoch(object message, long epoch) => epoch == 0 ? message : message switch
    {
        Prepare p => p with { Epoch = epoch },
        Accept a => a with { Epoch = epoch, Entry = a.Entry.Epoch == a.Epoch ? a.Entry.WithEpoch(epoch) : a.Entry },
        Sync s => s with { Epoch = epoch },
        Fetch f => f with { Epoch = epoch },
        Decide d => d with { Epoch = epoch },
        Promise p => p with { Epoch = epoch },
        Ack a => a with { Epoch = epoch },
        Fetched f => f with { Epoch = epoch },
        Done d => d with { Epoch = epoch },
        _ => message,
    };

    private void ApplyReplicaEffect(Node node, Node leaderHost, ReplicaEffect effect)
    {
        switch (effect)
        {
            case StorePromise p:
                node.StoredPromise = p.Epoch;
                node.StoredPromisedTo = p.Leader;
                if (node.Replica!.Voter)
                {
                    if (p.Epoch < node.VoterPromised) _violations.Add($"invariant: {node.Name}'s promise went back from {node.VoterPromised} to {p.Epoch}");
                    node.VoterPromised = Math.Max(node.VoterPromised, p.Epoch);
                }
                break;
            case StoreEntries s:
                foreach (var e in s.Entries)
                {
                    if (e.Beat <= node.StoredEntries.Count) node.StoredEntries[e.Beat - 1] = e;
                    else node.StoredEntries.Add(e);
                }
                CheckLogCommitted(node);
                break;
            case Reply r:
                Measure(r.Message);
                Deliver(node, leaderHost, host =>
                {
                    if (host.Leader is { } l) Apply(host, l.Machine.OnMessage(r.Message, _now));
                });
                break;
            case GameFinished f: Report(node, Describe(f.Result), f.Result); break;
            case GameAborted a: Report(node, $"aborted: {a.Reason}", null); break;
        }
    }

    private void Report(Node node, string outcome, GameResult? result)
    {
        node.Outcome ??= outcome;
        _outcomes.Add((node.Index, outcome, result));
        if (result is not null && SafetyChecker.FirstViolation(_game.Roster, result) is { } broken)
        {
            _violations.Add($"{node.Name}'s result breaks a rule: {broken}");
        }
    }

    private static string Describe(GameResult r) =>
        $"winner {r.Winner ?? "(draw)"} after {r.Beats} beats: {string.Join(";", r.Shots.Select(s => $"{s.Beat}:{s.Shooter}>{s.Target}={s.TargetHealth}"))} | {string.Join(";", r.Events.Select(e => $"{e.Beat}:{e.Kind}:{e.Cowboy}"))}";

    // ---- leaders ---------------------------------------------------------------------------------

    private void StartLeader(Node host)
    {
        // incarnations from a small space, so that leaders draw the same epoch; the id is unique
        var machine = new LeaderMachine(host.Game, _rng.Next(1, _options.Incarnations + 1), $"{host.Name}#{host.Generation}/{++_incarnations}",
            new LeaderTimings { StartBarrier = StartBarrier }, _options.Quorum, _options.Mutations);
        host.Leader = new HostedLeader(machine, _incarnations);
        Apply(host, machine.Start(_now));
    }

    private void Apply(Node host, IReadOnlyList<LeaderEffect> effects)
    {
        var leader = host.Leader;
        if (leader is null) return;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendTo s:
                    var to = _nodes[_game.Roster.IndexOf(s.Cowboy)];
                    ToReplica(host, to, s.Message);
                    break;
                case SendToken t:
                    SendTokenHop(host, leader, t, 0, t.State, _now);
                    break;
                case AskWitness w:
                    AskTheWitness(host, leader, w.Request);
                    break;
                case StartTimer t:
                    var incarnation = leader.Incarnation;
                    At(t.After, () =>
                    {
                        if (host.Leader?.Incarnation != incarnation) return;
                        if (host.Paused)
                        {
                            host.Held.Add(() => { if (host.Leader?.Incarnation == incarnation) Apply(host, host.Leader.Machine.OnTimer(t.Timer, t.Generation, _now)); });
                            return;
                        }
                        Apply(host, leader.Machine.OnTimer(t.Timer, t.Generation, _now));
                    });
                    break;
                case Note note:
                    Trace.Add($"{_now.TotalSeconds:F2}s {host.Name} L{leader.Incarnation}: {note.Text}");
                    break;
                case BeatCommitted c:
                    Trace.Add($"{_now.TotalSeconds:F2}s {host.Name} L{leader.Incarnation}: beat {c.Entry.Beat} committed ({c.Acks} acks{(c.Witness ? " + witness" : "")})");
                    if (_committed.TryGetValue(c.Entry.Beat, out var earlier))
                    {
                        if (earlier.Digest != c.Entry.Digest) _violations.Add($"beat {c.Entry.Beat} was committed twice with different outcomes ({earlier.Position} and {c.Entry.Position})");
                    }
                    else
                    {
                        _committed[c.Entry.Beat] = c.Entry;
                    }
                    // a crash right after a commit that needed the witness: the others may not know of it yet
                    if (c.Witness && _rng.NextDouble() < _options.CrashAfterWitnessCommit) Crash(host, TimeSpan.FromMilliseconds(_rng.Next(100, 3000)));
                    break;
            }
        }
    }

    private void Away(Node host, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (host.Leader is { } leader) Apply(host, leader.Machine.OnAway(name, _now));
        }
    }

    private void SendTokenHop(Node host, HostedLeader leader, SendToken token, int hop, BeatState state, TimeSpan sentAt)
    {
        var incarnation = leader.Incarnation;
        if (hop == token.Route.Length)
        {
            Deliver(host, host, h =>
            {
                if (h.Leader?.Incarnation == incarnation) Apply(h, h.Leader.Machine.OnTokenBack(token.Epoch, token.Attempt, state, _now - sentAt, _now));
            });
            return;
        }
        var cowboy = _nodes[token.Route[hop]];
        var from = hop == 0 ? host : _nodes[token.Route[hop - 1]];
        Deliver(from, cowboy, node =>
        {
            switch (node.Replica!.OnToken(_options.FenceEpochs ? token.Epoch : long.MaxValue, token.Route[hop], state))
            {
                case TokenFenced fenced:
                    // a superseded leader's token; he hears why, as from the cowboy actor
                    Deliver(node, host, h => { if (h.Leader?.Incarnation == incarnation) Apply(h, h.Leader.Machine.OnMessage(fenced.Answer, _now)); });
                    break;
                case TokenPlayed played:
                    SendTokenHop(host, leader, token, hop + 1, played.After, sentAt);
                    break;
            }
        });
    }

    private void AskTheWitness(Node host, HostedLeader leader, IToWitness request)
    {
        // the witness is a record in another party (a Lease in the API server, a locked file): its
        // requests and answers travel like any message, late, out of order, or not at all, and it
        // may be unavailable for a while; a request already sent is carried out even if its leader died
        var incarnation = leader.Incarnation;
        if (_rng.NextDouble() < _options.Loss) return;
        At(WitnessDelay(), () =>
        {
            if (_now < _witnessDownUntil) return; // the request fails
            var before = _witness;
            (_witness, var answer) = _witness.Handle(request, _options.Mutations);
            if (_witness.Promised < before.Promised || _witness.Accepted < before.Accepted)
            {
                _violations.Add($"invariant: the witness went back from ({before.Promised}, {before.Accepted}) to ({_witness.Promised}, {_witness.Accepted})");
            }
            if (_rng.NextDouble() < _options.Loss) return;
            At(WitnessDelay(), () =>
            {
                if (Alive(host) && host.Leader?.Incarnation == incarnation) Apply(host, host.Leader.Machine.OnMessage(answer, _now));
            });
        });
    }

    private TimeSpan WitnessDelay() => TimeSpan.FromMilliseconds(_rng.NextDouble() < 0.1 ? _rng.Next(100, 3000) : _rng.Next(1, 20));

    /// <summary>Every entry of a log but its last is committed, with the outcome that was committed.</summary>
    private void CheckLogCommitted(Node node)
    {
        var log = node.Replica!.Log;
        var beat = log.Count - 1;
        if (beat < 1) return;
        if (!_committed.TryGetValue(beat, out var committed) || committed.Digest != log[beat].Digest)
        {
            _violations.Add($"invariant: {node.Name} holds beat {beat + 1} on top of a beat {beat} that was {(committed is null ? "never committed" : "committed with another outcome")}");
        }
    }

    /// <summary>
    /// Every 100 ms: the failure detector and the singleton. Each side of a split hosts a leader on
    /// its oldest live node; a leader learns of members by WhoAreYou and loses them after the
    /// detection delay; a minority side is downed (its processes exit and are restarted) after a while.
    /// </summary>
    private void ScheduleTick(TimeSpan after) => At(after, () =>
    {
        foreach (var n in _nodes.Where(n => n.Up && n.Paused && !n.Downed && n.PausedSince is { } p && _now - p > DownAfter)) n.Downed = true;
        foreach (var side in _nodes.Where(n => n.Up && !n.Downed).GroupBy(n => _side[n.Index]))
        {
            var members = side.Where(n => !n.Paused).ToList(); // the others see a frozen process as unreachable
            if (members.Count == 0) continue;
            var oldest = members.OrderBy(n => n.JoinedAt).ThenBy(n => n.Index).First();
            foreach (var n in members.Where(n => n != oldest && n.Leader is not null)) n.Leader = null; // handed over
            if (oldest.Leader is null && oldest.Replica is not null) StartLeader(oldest);
            var cluster = _nodes.Count(n => n.Up || n.Outcome is null); // members that finished have left the cluster
            var half = 2 * members.Count == cluster;
            var isMinority = cluster > 1 && (2 * members.Count < cluster || (half && members.All(m => m.Index != 0)));
            foreach (var n in members)
            {
                if (!isMinority)
                {
                    n.MinoritySince = null;
                    continue;
                }
                n.MinoritySince ??= _now;
                if (_now - n.MinoritySince.Value > DownAfter)
                {
                    n.MinoritySince = null;
                    Crash(n, TimeSpan.FromMilliseconds(500)); // downed by the Split Brain Resolver, restarted like a Job's pod
                }
            }
        }
        foreach (var host in _nodes.Where(n => n.Leader is not null && Alive(n)))
        {
            // the leader folds what its member sees through the same Attendance as the leader's actor
            var leader = host.Leader!;
            foreach (var other in _nodes)
            {
                var visible = other.Up && !other.Paused && CanReach(host, other) && other.Replica is not null;
                var known = leader.Members.GetValueOrDefault(other.Index);
                if (visible)
                {
                    var address = $"{other.Name}#{other.Generation}";
                    leader.LastSeen[other.Index] = _now;
                    if (known != address)
                    {
                        // a restarted incarnation is another member: the cluster removes the old one
                        if (known is not null) Away(host, leader.Attendance.MemberGone(known));
                        leader.Members[other.Index] = address;
                        leader.Attendance.MemberUp(address);
                    }
                    else if (leader.Unreachable.Remove(other.Index))
                    {
                        leader.Attendance.Reachable(address);
                    }
                    if (host.Leader != leader) break;
                    if (leader.Attendance.AddressOf(other.Name) != address)
                    {
                        var hello = (Hello)((Reply)other.Replica!.Handle(WhoAreYou.Instance)[0]).Message;
                        if (leader.Attendance.Hello(other.Name, address, inRoster: true)) Apply(host, leader.Machine.OnHello(hello, address, _now));
                        if (host.Leader != leader) break;
                    }
                }
                else if (known is not null && !leader.Unreachable.Contains(other.Index) && _now - leader.LastSeen.GetValueOrDefault(other.Index) > Detection)
                {
                    leader.Unreachable.Add(other.Index);
                    Away(host, leader.Attendance.Unreachable(known));
                    if (host.Leader != leader) break;
                }
            }
        }
        ScheduleTick(TimeSpan.FromMilliseconds(100));
    });

    // ---- the nemesis -----------------------------------------------------------------------------

    private void ScheduleNemesis()
    {
        if (_options.CrashAt is { } crash) At(crash.At, () => Crash(_nodes[crash.Node], TimeSpan.FromMilliseconds(300)));
        var faults = _options.Faults ?? _rng.Next(0, 6);
        var t = TimeSpan.Zero;
        for (var i = 0; i < faults; i++)
        {
            t += TimeSpan.FromMilliseconds(_rng.Next(200, 4000));
            var kind = _rng.Next(5);
            At(t, () => Fault(kind));
        }
    }

    private void Fault(int kind)
    {
        var leaderHost = _nodes.FirstOrDefault(n => n.Leader is not null && n.Up);
        var victim = leaderHost is not null && _rng.Next(2) == 0 ? leaderHost : _nodes[_rng.Next(_nodes.Length)];
        switch (kind)
        {
            case 0: // crash, restart from the store
                Crash(victim, TimeSpan.FromMilliseconds(_rng.Next(100, 3000)));
                break;
            case 4: // the witness's store cannot be reached for a while
                _witnessDownUntil = _now + TimeSpan.FromMilliseconds(_rng.Next(500, 5000));
                break;
            case 1: // freeze (SIGSTOP), then wake up (SIGCONT)
                if (!victim.Up || victim.Paused) break;
                victim.Paused = true;
                victim.PausedSince = _now;
                var generation = victim.Generation;
                At(TimeSpan.FromMilliseconds(_rng.Next(500, 8000)), () =>
                {
                    if (victim.Generation != generation) return;
                    victim.Paused = false;
                    victim.PausedSince = null;
                    var held = victim.Held.ToList();
                    victim.Held.Clear();
                    foreach (var h in held) h();
                    // a process downed while frozen acts on what it had before it hears that it was downed
                    if (victim.Downed) At(TimeSpan.FromMilliseconds(_rng.Next(0, 1000)), () => { if (victim.Generation == generation) Crash(victim, TimeSpan.FromMilliseconds(500)); });
                });
                break;
            default: // split the network, the victim's side being the smaller one more often than not; heal later
                var side = new int[_nodes.Length];
                var minority = _rng.Next(1, Math.Max(2, (_nodes.Length + 1) / 2 + 1));
                var cut = _nodes.OrderBy(_ => _rng.Next()).Where(n => n != victim).Take(minority - 1).Append(victim).Select(n => n.Index).ToHashSet();
                for (var i = 0; i < side.Length; i++) side[i] = cut.Contains(i) ? 1 : 0;
                _side = side;
                At(TimeSpan.FromMilliseconds(_rng.Next(500, 6000)), () => _side = new int[_nodes.Length]);
                break;
        }
    }

    // ---- checks ----------------------------------------------------------------------------------

    private void CheckOutcomes()
    {
        var distinct = _outcomes.Select(o => o.Outcome).Distinct().ToList();
        if (distinct.Count > 1)
        {
            _violations.Add($"{distinct.Count} different results: {string.Join(" / ", _outcomes.GroupBy(o => o.Outcome).Select(g => $"[{string.Join(",", g.Select(o => _nodes[o.Node].Name).Distinct())}] {Shorten(g.Key)}"))}");
        }
        foreach (var (node, _, result) in _outcomes)
        {
            if (result is null) continue;
            var byBeat = result.Shots.GroupBy(s => s.Beat).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (beat, entry) in _committed)
            {
                if (entry.IsAbort)
                {
                    _violations.Add($"{_nodes[node].Name} reports a result but beat {beat} was committed as an abort");
                    continue;
                }
                var shots = byBeat.GetValueOrDefault(beat) ?? [];
                if (beat > result.Beats || !shots.SequenceEqual(entry.Shots))
                {
                    _violations.Add($"{_nodes[node].Name}'s result does not hold committed beat {beat}");
                }
            }
        }
    }

    private static string Shorten(string s) => s.Length <= 160 ? s : s[..160] + "...";

    private void At(TimeSpan after, Action action) => _events.Enqueue(action, (_now + after, _seq++));

    private sealed class Node(int index, string name)
    {
        public int Index { get; } = index;
        public string Name { get; } = name;
        public bool Up;
        public bool Paused;
        public bool Downed;
        public int Generation;
        public TimeSpan JoinedAt;
        public TimeSpan? MinoritySince;
        public TimeSpan? PausedSince;
        public ReplicaMachine? Replica;
        public long StoredPromise;
        public string? StoredPromisedTo;
        public int Starts;
        public long VoterPromised;
        public GameSettings Game = null!;
        public TimeSpan? StartAfter;
        public readonly List<BeatEntry> StoredEntries = new();
        public HostedLeader? Leader;
        public string? Outcome;
        public readonly List<Action> Held = new();
    }

    private sealed class HostedLeader(LeaderMachine machine, long incarnation)
    {
        public LeaderMachine Machine { get; } = machine;
        public long Incarnation { get; } = incarnation;
        public Attendance Attendance { get; } = new();
        public Dictionary<int, string> Members { get; } = new();
        public HashSet<int> Unreachable { get; } = new();
        public Dictionary<int, TimeSpan> LastSeen { get; } = new();
    }
}

/// <summary>What a simulation run varies; the defaults are the nemesis at full strength.</summary>
public sealed record SimulationOptions
{
    public int? Cowboys { get; init; }

    public int Health { get; init; } = 6;

    /// <summary>The least health a cowboy is dealt (the default: 1).</summary>
    public int MinHealth { get; init; } = 1;

    public int? Faults { get; init; }

    public double Loss { get; init; } = 0.05;

    public double Duplicate { get; init; } = 0.03;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Trace every message a replica handles (to debug one seed).</summary>
    public bool Verbose { get; init; }

    public QuorumRule? Quorum { get; init; }

    /// <summary>False breaks the epoch promise on purpose: replicas take any leader's messages.</summary>
    public bool FenceEpochs { get; init; } = true;

    /// <summary>Crash this node at this time (and restart it), besides the nemesis.</summary>
    public (TimeSpan At, int Node)? CrashAt { get; init; }

    /// <summary>Pods: a process keeps its replica in memory and votes only as its cowboy's first (Kubernetes' rule).</summary>
    public bool Pods { get; init; }

    /// <summary>The mutation that reverts the pod rule: a replacement pod votes although it forgot.</summary>
    public bool ReplacementsVote { get; init; }

    /// <summary>Leaders draw their incarnation from 1..this, so that epochs collide.</summary>
    public int Incarnations { get; init; } = 3;

    public ProtocolMutation Mutations { get; init; }

    /// <summary>How often the leader's host crashes right after a commit that needed the witness.</summary>
    public double CrashAfterWitnessCommit { get; init; } = 0.2;

    /// <summary>How often one process plays another game (a different seed): the start barrier aborts.</summary>
    public double Mismatch { get; init; } = 0.02;

    /// <summary>How often one process starts after the start barrier's deadline: the game is aborted.</summary>
    public double LateStart { get; init; } = 0.02;

    /// <summary>What a restarted process gets back from its store (the default: everything it stored; null: it has no store).</summary>
    public Func<StoredReplica, StoredReplica?> Store { get; init; } = stored => stored;
}
