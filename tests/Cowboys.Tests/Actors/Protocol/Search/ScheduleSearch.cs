using System.Collections.Immutable;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;

namespace Cowboys.Tests.Actors.Protocol.Search;

/// <summary>One small configuration the search explores: how many cowboys, which memory, how many faults of each kind.</summary>
public sealed record SearchConfig
{
    public int Cowboys { get; init; } = 3;

    /// <summary>Pods keep their replica in memory and vote only as their cowboy's first process; otherwise replicas are durable.</summary>
    public bool Pods { get; init; }

    public int Crashes { get; init; } = 2;

    public int Restarts { get; init; } = 2;

    /// <summary>Leaders started besides the first (a singleton handed over, or one per side of a split).</summary>
    public int ExtraLeaders { get; init; } = 2;

    public int Drops { get; init; } = 3;

    /// <summary>Incarnations are drawn from 1..this, so that two leaders often draw the same epoch.</summary>
    public int Incarnations { get; init; } = 2;

    /// <summary>PCT's depth: the number of priority change points, plus one.</summary>
    public int Depth { get; init; } = 4;

    public int MaxSteps { get; init; } = 300;

    public ProtocolMutation Mutations { get; init; }

    /// <summary>The mutation that reverts the pod rule: a replacement pod votes although it forgot.</summary>
    public bool ReplacementsVote { get; init; }

    public QuorumRule? Quorum { get; init; }

    public override string ToString() =>
        $"{Cowboys} cowboys{(Cowboys % 2 == 0 ? " + witness" : "")}, {(Pods ? "pods" : "durable")}, ≤{Crashes} crashes, ≤{Restarts} restarts, ≤{ExtraLeaders} extra leaders, ≤{Drops} drops, depth {Depth}";
}

/// <summary>
/// A systematic search over the pure protocol machines, in an asynchronous model with no clock:
/// every message in flight (to and from replicas, ring-token hops, the witness's requests and
/// answers), every timer and every membership notice is a pending event that may happen next, in
/// any order. A PCT scheduler (Burckhardt et al., "A Randomized Scheduler with Probabilistic
/// Guarantees of Finding Bugs", 2010) picks among them by random priorities with a few change
/// points; the nemesis crashes and restarts processes, starts rival leaders with colliding
/// incarnations and drops messages, each within the configuration's budget, at steps chosen the
/// same way. Nothing here knows a bad schedule: each run is checked against the safety rules
/// only. A schedule replays from its seed.
/// </summary>
public sealed class ScheduleSearch
{
    private readonly SearchConfig _config;
    private readonly Random _rng;
    private readonly GameSettings _game;
    private readonly Process[] _nodes;
    private readonly List<Pending> _pending = new();
    private readonly List<Leader> _leaders = new();
    private readonly Dictionary<int, BeatEntry> _committed = new();
    private readonly List<(string Node, string Outcome)> _outcomes = new();
    private readonly List<string> _violations = new();
    private readonly List<string> _invariantBreaks = new();
    private readonly HashSet<int> _changePoints = new();
    private WitnessRecord _witness = WitnessRecord.Empty;
    private int _crashes, _restarts, _extraLeaders, _drops, _step, _leaderIds;
    private double _lowest;

    public ScheduleSearch(SearchConfig config, int seed)
    {
        _config = config;
        _rng = new Random(seed);
        var n = config.Cowboys;
        var roster = new Roster("search", Enumerable.Range(0, n).Select(i => new CowboySpec($"C{i}", _rng.Next(1, 4), _rng.Next(1, 3))).ToImmutableArray());
        _game = new GameSettings(roster, _rng.Next(2) == 0 ? RuleSet.Sequential : RuleSet.Simultaneous, _rng.NextInt64(), TimeSpan.Zero)
        {
            ForfeitAfter = TimeSpan.FromSeconds(2),
        };
        _nodes = Enumerable.Range(0, n).Select(i => new Process(i, roster.Cowboys[i].Name)).ToArray();
        for (var d = 1; d < config.Depth; d++) _changePoints.Add(_rng.Next(config.MaxSteps));
    }

    /// <summary>Broken safety: two results, or a beat committed with two outcomes.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Broken invariants that safety rests on (a voter's promise or the witness's position going back).</summary>
    public IReadOnlyList<string> InvariantBreaks => _invariantBreaks;

    public IReadOnlyList<string> Trace { get; } = new List<string>();

    public bool Verbose { get; init; }

    public int Steps => _step;

    public bool Finished => _nodes.All(n => n.Outcome is not null);

    private TimeSpan Now => TimeSpan.FromMilliseconds(50 * _step);

    public ScheduleSearch Run()
    {
        foreach (var node in _nodes) Start(node);
        StartLeader(_nodes[0]);
        for (_step = 0; _step < _config.MaxSteps && _violations.Count == 0 && !Finished; _step++)
        {
            if (_rng.NextDouble() < 0.06 && Nemesis()) continue;
            if (_pending.Count == 0)
            {
                if (!Nemesis()) break;
                continue;
            }
            var next = _pending.MaxBy(p => p.Priority)!;
            if (_changePoints.Contains(_step)) next.Priority = --_lowest; // PCT: the running chain is preempted
            _pending.Remove(next);
            if (next.CanDrop && _drops < _config.Drops && _rng.NextDouble() < 0.08)
            {
                _drops++;
                Note($"drop {next.What}");
                continue;
            }
            next.Happen();
        }
        CheckOutcomes();
        return this;
    }

    // ---- the nemesis ---------------------------------------------------------------------------

    private bool Nemesis()
    {
        var choices = new List<Action>();
        foreach (var node in _nodes)
        {
            if (node.Up && _crashes < _config.Crashes) choices.Add(() => { _crashes++; Crash(node); });
            if (!node.Up && node.Outcome is null && _restarts < _config.Restarts) choices.Add(() => { _restarts++; Start(node); });
            if (node.Up && _extraLeaders < _config.ExtraLeaders) choices.Add(() => { _extraLeaders++; StartLeader(node); });
        }
        if (choices.Count == 0) return false;
        choices[_rng.Next(choices.Count)]();
        return true;
    }

    private void Start(Process node)
    {
        node.Starts++;
        node.Generation++;
        node.Up = true;
        var stored = _config.Pods ? null : new StoredReplica(node.StoredPromise, node.StoredPromisedTo, node.StoredEntries.ToList());
        bool? first = _config.Pods ? node.Starts == 1 || _config.ReplacementsVote : null;
        node.Replica = new ReplicaMachine(_game, node.Name, stored, VotingRight.Of(stored is not null, first), _config.Mutations);
        Note($"{node.Name} starts (process {node.Generation}, {(node.Replica.Voter ? "voter" : "not a voter")})");
        foreach (var leader in _leaders.Where(l => l.Alive)) Enqueue($"{leader.Id} sees {node.Name} up", () => Hello(leader, node, node.Generation), canDrop: false);
    }

    private void Crash(Process node)
    {
        node.Up = false;
        node.Replica = null;
        Note($"{node.Name} crashes");
        foreach (var leader in _leaders.Where(l => l.Alive))
        {
            if (leader.Host == node)
            {
                leader.Alive = false;
                // the singleton moves to the oldest member left, some time after the crash
                Enqueue($"the leader of {node.Name} moves", () =>
                {
                    if (_extraLeaders >= _config.ExtraLeaders || _nodes.FirstOrDefault(n => n.Up) is not { } oldest) return;
                    _extraLeaders++;
                    StartLeader(oldest);
                }, canDrop: false);
                continue;
            }
            if (leader.Members.ContainsKey(node.Index)) Enqueue($"{leader.Id} sees {node.Name} unreachable", () => Unreachable(leader, node), canDrop: false);
        }
    }

    // ---- leaders -------------------------------------------------------------------------------

    private void StartLeader(Process host)
    {
        if (_leaders.Any(l => l.Alive && l.Host == host)) return;
        var id = $"L{++_leaderIds}@{host.Name}";
        var machine = new LeaderMachine(_game, _rng.Next(1, _config.Incarnations + 1), id,
            new LeaderTimings { StartBarrier = TimeSpan.FromSeconds(5) }, _config.Quorum, _config.Mutations);
        var leader = new Leader(id, host, machine);
        _leaders.Add(leader);
        Note($"{id} starts");
        Apply(leader, machine.Start(Now));
        foreach (var node in _nodes.Where(n => n.Up)) Enqueue($"{id} sees {node.Name} up", () => Hello(leader, node, node.Generation), canDrop: false);
    }

    private void Hello(Leader leader, Process node, int generation)
    {
        if (!leader.Alive || !node.Up || node.Generation != generation) return;
        var address = $"{node.Name}#{generation}";
        if (leader.Members.GetValueOrDefault(node.Index) is { } old && old != address) Away(leader, leader.Attendance.MemberGone(old)); // a new process is a new member
        leader.Members[node.Index] = address;
        leader.Attendance.MemberUp(address);
        leader.Attendance.Reachable(address);
        var hello = (Hello)((Reply)node.Replica!.Handle(WhoAreYou.Instance)[0]).Message;
        if (leader.Attendance.Hello(node.Name, address, inRoster: true)) Apply(leader, leader.Machine.OnHello(hello, address, Now));
    }

    private void Unreachable(Leader leader, Process node)
    {
        if (!leader.Alive || leader.Members.GetValueOrDefault(node.Index) is not { } address) return;
        Away(leader, leader.Attendance.Unreachable(address));
    }

    private void Away(Leader leader, IReadOnlyList<string> names)
    {
        foreach (var name in names) Apply(leader, leader.Machine.OnAway(name, Now));
    }

    private void Apply(Leader leader, IReadOnlyList<LeaderEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendTo s:
                    var to = _nodes[_game.Roster.IndexOf(s.Cowboy)];
                    var generation = to.Generation;
                    Enqueue($"{leader.Id} -> {to.Name}: {Brief(s.Message)}", () => AtReplica(leader, to, generation, s.Message));
                    break;
                case SendToken t:
                    Hop(leader, t, 0, t.State);
                    break;
                case AskWitness w:
                    Enqueue($"{leader.Id} -> witness: {w.Request}", () => AtWitness(leader, w.Request));
                    break;
                case StartTimer t:
                    leader.Timers[t.Timer] = t.Generation;
                    Enqueue($"{leader.Id} timer {t.Timer}", () =>
                    {
                        if (leader.Alive && leader.Timers.GetValueOrDefault(t.Timer) == t.Generation) Apply(leader, leader.Machine.OnTimer(t.Timer, t.Generation, Now));
                    }, canDrop: false);
                    break;
                case Note n:
                    Note($"{leader.Id}: {n.Text}");
                    break;
                case BeatCommitted c:
                    Note($"{leader.Id}: beat {c.Entry.Beat} committed ({c.Acks} acks{(c.Witness ? " + witness" : "")})");
                    if (_committed.TryGetValue(c.Entry.Beat, out var earlier) && earlier.Digest != c.Entry.Digest)
                    {
                        _violations.Add($"beat {c.Entry.Beat} was committed twice with different outcomes ({earlier.Position} and {c.Entry.Position})");
                    }
                    _committed.TryAdd(c.Entry.Beat, c.Entry);
                    // a commit is where a crash hurts most: the leader knows, the others may not yet
                    if (_rng.NextDouble() < 0.25)
                    {
                        Enqueue($"nemesis: crash {leader.Host.Name} after a commit", () =>
                        {
                            if (!leader.Host.Up || _crashes >= _config.Crashes) return;
                            _crashes++;
                            Crash(leader.Host);
                        }, canDrop: false);
                    }
                    break;
            }
        }
    }

    private void Hop(Leader leader, SendToken token, int hop, BeatState state)
    {
        if (hop == token.Route.Length)
        {
            Enqueue($"token of {leader.Id} home", () =>
            {
                if (leader.Alive) Apply(leader, leader.Machine.OnTokenBack(token.Epoch, token.Attempt, state, TimeSpan.FromMilliseconds(1), Now));
            });
            return;
        }
        var node = _nodes[token.Route[hop]];
        var generation = node.Generation;
        Enqueue($"token of {leader.Id} -> {node.Name}", () =>
        {
            if (!node.Up || node.Generation != generation) return;
            switch (node.Replica!.OnToken(token.Epoch, token.Route[hop], state))
            {
                case TokenFenced fenced:
                    Enqueue($"{node.Name} -> {leader.Id}: token rejected", () => { if (leader.Alive) Apply(leader, leader.Machine.OnMessage(fenced.Answer, Now)); });
                    break;
                case TokenPlayed played:
                    Hop(leader, token, hop + 1, played.After);
                    break;
            }
        });
    }

    private void AtReplica(Leader leader, Process node, int generation, IToReplica message)
    {
        if (!node.Up || node.Generation != generation) return;
        var replica = node.Replica!;
        var promisedBefore = replica.Promised;
        foreach (var effect in replica.Handle(message))
        {
            switch (effect)
            {
                case StorePromise p:
                    node.StoredPromise = p.Epoch;
                    node.StoredPromisedTo = p.Leader;
                    break;
                case StoreEntries s:
                    foreach (var e in s.Entries)
                    {
                        if (e.Beat <= node.StoredEntries.Count) node.StoredEntries[e.Beat - 1] = e;
                        else node.StoredEntries.Add(e);
                    }
                    break;
                case Reply r:
                    Enqueue($"{node.Name} -> {leader.Id}: {Brief(r.Message)}", () => { if (leader.Alive) Apply(leader, leader.Machine.OnMessage(r.Message, Now)); });
                    break;
                case GameFinished f:
                    Report(node, $"winner {f.Result.Winner ?? "(draw)"} after {f.Result.Beats} beats: {string.Join(";", f.Result.Shots.Select(s => $"{s.Beat}:{s.Shooter}>{s.Target}"))}");
                    break;
                case GameAborted a:
                    Report(node, $"aborted: {a.Reason}");
                    break;
            }
        }
        if (replica.Voter && replica.Promised < promisedBefore) _invariantBreaks.Add($"{node.Name}'s promise went back from {promisedBefore} to {replica.Promised}");
    }

    private void AtWitness(Leader leader, IToWitness request)
    {
        var before = _witness.Accepted;
        (_witness, var answer) = _witness.Handle(request, _config.Mutations);
        Note($"witness: {request} => {answer}");
        if (_witness.Accepted < before) _invariantBreaks.Add($"the witness went back from {before} to {_witness.Accepted}");
        Enqueue($"witness -> {leader.Id}: {answer}", () => { if (leader.Alive) Apply(leader, leader.Machine.OnMessage(answer, Now)); });
    }

    private void Report(Process node, string outcome)
    {
        node.Outcome ??= outcome;
        _outcomes.Add((node.Name, outcome));
        Note($"{node.Name} announces {outcome}");
    }

    private void CheckOutcomes()
    {
        var distinct = _outcomes.Select(o => o.Outcome).Distinct().ToList();
        if (distinct.Count > 1)
        {
            _violations.Add($"{distinct.Count} different results: {string.Join(" / ", _outcomes.GroupBy(o => o.Outcome).Select(g => $"[{string.Join(",", g.Select(o => o.Node).Distinct())}] {g.Key}"))}");
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private void Enqueue(string what, Action happen, bool canDrop = true) => _pending.Add(new Pending(what, () =>
    {
        Note(what);
        happen();
    }, canDrop) { Priority = _rng.NextDouble() });

    private void Note(string text)
    {
        if (Verbose) ((List<string>)Trace).Add($"{_step,4} {text}");
    }

    private static string Brief(object m) => m switch
    {
        Prepare p => $"Prepare(e{p.Epoch}, {p.Leader})",
        Accept a => $"Accept(e{a.Epoch}, beat {a.Entry.Beat})",
        Ack a => $"Ack(e{a.Epoch}, {a.Last}, voter {a.Voter})",
        Promise p => $"Promise(e{p.Epoch}, {p.Last}, voter {p.Voter})",
        _ => m.ToString() ?? "",
    };

    private sealed class Pending(string what, Action happen, bool canDrop)
    {
        public string What { get; } = what;
        public Action Happen { get; } = happen;
        public bool CanDrop { get; } = canDrop;
        public double Priority { get; set; }
    }

    private sealed class Process(int index, string name)
    {
        public int Index { get; } = index;
        public string Name { get; } = name;
        public bool Up;
        public int Starts;
        public int Generation;
        public ReplicaMachine? Replica;
        public long StoredPromise;
        public string? StoredPromisedTo;
        public readonly List<BeatEntry> StoredEntries = new();
        public string? Outcome;
    }

    private sealed class Leader(string id, Process host, LeaderMachine machine)
    {
        public string Id { get; } = id;
        public Process Host { get; } = host;
        public LeaderMachine Machine { get; } = machine;
        public bool Alive = true;
        public Attendance Attendance { get; } = new();
        public Dictionary<int, string> Members { get; } = new();
        public Dictionary<LeaderTimer, int> Timers { get; } = new();
    }
}
