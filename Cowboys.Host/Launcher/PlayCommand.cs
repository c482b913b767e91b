using Cowboys.Actors.Node.Hosting;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Spectre.Console;

namespace Cowboys.Host.Launcher;

/// <summary>
/// `play`: the whole shootout on one machine. Starts one `cowboy` process per roster entry, shows
/// their merged output like stern, restarts a failed process the way a Job restarts its pod,
/// injects faults when asked (--chaos), waits for the game to end, checks that every process
/// reports the same result, and prints it.
/// </summary>
public sealed class PlayCommand(PlayOptions options, IAnsiConsole console, TextWriter error, bool interactive = false)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidRoster = 2;

    private static readonly string[] Palette = ["aqua", "yellow", "fuchsia", "lime", "orange1", "deepskyblue1", "violet", "gold1", "springgreen1", "salmon1"];
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private readonly object _outputLock = new();
    private readonly List<string> _notes = new();

    /// <summary>While the live view is drawn the cowboys' lines are not printed (they would tear it); the launcher's notes go into it.</summary>
    private volatile bool _live;
    private readonly ConcurrentDictionary<string, string> _lastErrorLine = new();
    private readonly List<Fault> _faults = new();

    /// <summary>
    /// The live view needs a terminal: Spectre's LiveDisplay has no fallback and would repeat
    /// the whole table on every refresh into a file or a pipe. JSON lines are for machines.
    /// </summary>
    public static bool UsesLiveView(PlayOptions options, bool interactive) =>
        interactive && !options.Plain && options.LogFormat != LogFormat.Json;

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        Roster roster;
        try
        {
            roster = RosterParser.ParseFile(options.RosterFile);
        }
        catch (InvalidRosterException e)
        {
            error.WriteLine($"error: invalid roster {options.RosterFile}: {e.Message}");
            return InvalidRoster;
        }
        if (roster.Count > PlayOptions.MaxLocalCowboys)
        {
            error.WriteLine($"error: invalid roster {options.RosterFile}: play starts one process per cowboy and takes at most " +
                            $"{PlayOptions.MaxLocalCowboys} on one machine (each is an Akka.NET member with its own runtime: on 2 cores, 100 started in waves play to the end in " +
                            $"about 3 minutes, and more were never measured; docs/decisions/0024); this roster has {roster.Count} (run it on Kubernetes instead)");
            return InvalidRoster;
        }

        var seed = options.Seed ?? Random.Shared.NextInt64(0, int.MaxValue);
        console.MarkupLineInterpolated($"[bold]Shootout {roster.ShootoutName ?? Path.GetFileName(options.RosterFile)}[/]: {roster.Count} cowboys, rules {options.Rules.ToWire()}, beat {Duration.Format(options.Beat)}, seed {seed} (replay with --seed {seed}){(options.Chaos > 0 ? $", chaos {options.Chaos}" : "")}{(options.Pause > 0 ? $", pause {options.Pause}" : "")}");

        if (options.Debug) console.WriteLine($"cowboys start from {CowboyProcess.ExecutableSource}");
        var workDir = Directory.CreateTempSubdirectory("cowboys-play-");
        var waves = Waves.For(roster.Count, Environment.ProcessorCount);
        var cowboys = PrepareCowboys(roster, seed, workDir.FullName, waves.Length);
        var live = UsesLiveView(options, interactive);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.Timeout);
        try
        {
            var plan = ChaosPlan.Create(roster, options.Rules, seed, options.Chaos, options.Pause);
            if (plan.Count < options.Chaos + options.Pause)
                Announce($"only {plan.Count} of the {options.Chaos + options.Pause} faults fit in this game: one a beat, each before its last beat", Chaos);
            // the first wave now; the supervisor starts the others
            var state = SupervisorState.Initial([.. roster.Cowboys.Select(c => c.Name)], plan, waves);
            foreach (var (cowboy, supervised) in cowboys.Zip(state.Cowboys)) if (supervised.Running) cowboy.Process.Start();
            // every cowboy's GET /game: the one source of the beat, the leader's host and the live view;
            // read only for those, so that a plain game (and the benchmark) pays nothing for it
            using var poller = new GamePoller(roster.Count);
            using var joins = new JoinWatch();
            using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            var watched = live || plan.Count > 0 ? cowboys : [];
            var polling = Task.WhenAll(
                poller.RunAsync(watched.Select(c => (c.Process.Name, c.HttpPort, (Func<bool>)(() => c.Process.IsRunning))), stopPolling.Token),
                joins.RunAsync((waves.Length > 1 ? cowboys : []).Select(c => (c.Process.Name, c.HttpPort, (Func<bool>)(() => c.Process.IsRunning))), stopPolling.Token));
            var supervising = SuperviseAsync(cowboys, state, poller, joins, timeout.Token);
            if (live) await ShowLiveViewAsync(roster, poller, supervising);
            string? failure;
            try
            {
                failure = await supervising;
            }
            finally
            {
                await stopPolling.CancelAsync();
                await polling;
            }
            if (failure is not null)
            {
                error.WriteLine($"error: {failure}");
                await Task.WhenAll(cowboys.Select(c => c.Process.StopAsync(TimeSpan.FromSeconds(3))));
                return Failed;
            }
            return Conclude(roster, cowboys);
        }
        catch (OperationCanceledException)
        {
            var why = cancellation.IsCancellationRequested ? "stopped" : $"the game did not end within {Duration.Format(options.Timeout)}";
            error.WriteLine($"error: {why}; stopping every cowboy");
            await Task.WhenAll(cowboys.Select(c => c.Process.StopAsync(TimeSpan.FromSeconds(3))));
            return Failed;
        }
        finally
        {
            TryDelete(workDir);
        }
    }

    /// <summary>Every cowboy's process, not started yet.</summary>
    private List<Supervised> PrepareCowboys(Roster roster, long seed, string workDir, int waveCount)
    {
        var ports = FreePorts.Take(roster.Count * 2);
        // the same few contact points for everybody: the lowest of them starts the cluster once it has
        // probed them all, and the others join through them; probing all N from all N is N² requests
        var contactPoints = Enumerable.Range(0, Math.Min(roster.Count, PlayOptions.ContactPoints)).Select(i => $"127.0.0.1:{ports[2 * i + 1]}").ToList();
        var width = roster.Cowboys.Max(c => c.Name.Length);
        var cowboys = new List<Supervised>();
        // the contract other tools read (and the way to a cowboy's /alive, /ready, /game): one line per cowboy, before the game
        for (var i = 0; i < roster.Count; i++)
        {
            console.WriteLine($"endpoint {roster.Cowboys[i].Name} http://127.0.0.1:{ports[2 * i + 1].ToString(CultureInfo.InvariantCulture)}");
        }
        for (var i = 0; i < roster.Count; i++)
        {
            var name = roster.Cowboys[i].Name;
            var prefix = $"[{Palette[i % Palette.Length]}]{Markup.Escape(name.PadRight(width))}[/] | ";
            var arguments = (options.Cowboys with
            {
                Name = name,
                StartDeadline = Waves.StartDeadline(options.Cowboys.StartDeadline, waveCount),
                RosterFile = Path.GetFullPath(options.RosterFile),
                Seed = seed,
                Port = ports[2 * i],
                HttpPort = ports[2 * i + 1],
                ContactPoints = contactPoints,
                ResultFile = ResultFile(workDir, i),
                ParentPid = Environment.ProcessId,
                LeaseFile = Path.Combine(workDir, "sbr.lease"),
                StateDirectory = Path.Combine(workDir, "state", i.ToString(CultureInfo.InvariantCulture)),
                WitnessFile = Path.Combine(workDir, "witness.json"),
            }).ToArgs();
            // JSON lines stay JSON: each names its cowboy in its scope, so no prefix
            if (options.LogFormat == LogFormat.Json) prefix = "";
            var cowboy = new CowboyProcess(name, arguments, (process, line, isError) => Print(prefix, process, line, isError));
            cowboys.Add(new Supervised(cowboy, ResultFile(workDir, i), ports[2 * i + 1]));
        }
        return cowboys;
    }

    private static string ResultFile(string workDir, int index) => Path.Combine(workDir, $"{index}.json");

    private void Print(string prefix, CowboyProcess process, string line, bool isError)
    {
        if (isError) _lastErrorLine[process.Name] = line;
        if (_live) return;
        lock (_outputLock)
        {
            // a JSON line goes out as it came: Spectre would wrap it at the console's width
            if (options.LogFormat == LogFormat.Json) console.Profile.Out.Writer.WriteLine(line);
            else console.MarkupLine(prefix + (isError ? $"[red]{Markup.Escape(line)}[/]" : Markup.Escape(line)));
        }
    }

    /// <summary>The label of the launcher's own lines: faults it injects are "chaos", the rest (waves, restarts, ...) "play".</summary>
    private const string Chaos = "chaos";

    private void Announce(string text, string label = "play")
    {
        // stamped like the cowboys' lines, so a fault and its recovery can be timed from the output
        var now = DateTime.Now;
        lock (_outputLock)
        {
            if (_live) _notes.Add($"{label} {now:HH:mm:ss.fff} {text}");
            else console.MarkupLine($"[bold red]{label}[/] | {now:HH:mm:ss.fff} INFO  {Markup.Escape(text)}");
        }
    }

    /// <summary>
    /// Watches every process until all have exited, doing what <see cref="Supervisor.Decide"/>
    /// says: restarts, the chaos plan's faults, waking the frozen, stopping stragglers. Returns why
    /// the game failed, or null.
    /// </summary>
    private async Task<string?> SuperviseAsync(List<Supervised> cowboys, SupervisorState state, GamePoller poller, JoinWatch joins, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var byName = cowboys.ToDictionary(c => c.Process.Name);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var sight = poller.Sight;
            var tick = new SupervisorTick(Stopwatch.GetElapsedTime(started), cowboys.Any(c => File.Exists(c.ResultFile)),
                cowboys.Where(c => c.Process.Exited.IsCompleted).ToDictionary(c => c.Process.Name, c => c.Process.Exited.Result),
                sight.CommittedBeat, sight.LeaderHost, new Dictionary<string, string>(_lastErrorLine)) { Decided = sight.Over, Joined = joins.Joined };
            (state, var decisions) = Supervisor.Decide(state, tick);
            foreach (var decision in decisions)
            {
                switch (decision)
                {
                    case SupervisorDecision.Start start:
                        byName[start.Cowboy].Process.Start();
                        break;
                    case SupervisorDecision.Kill kill:
                        byName[kill.Cowboy].Process.Kill();
                        lock (_faults) _faults.Add(kill.Fault);
                        Announce(kill.Text, Chaos);
                        break;
                    case SupervisorDecision.Freeze freeze:
                        if (byName[freeze.Cowboy].Process.Pid is not { } frozen || Posix.Kill(frozen, Posix.SIGSTOP) != 0) break;
                        lock (_faults) _faults.Add(freeze.Fault);
                        Announce(freeze.Text, Chaos);
                        break;
                    case SupervisorDecision.Wake wake:
                        if (byName[wake.Cowboy].Process is { Pid: { } pid } process && process.Incarnation == wake.Incarnation) Posix.Kill(pid, Posix.SIGCONT);
                        break;
                    case SupervisorDecision.Say say:
                        Announce(say.Text);
                        break;
                    case SupervisorDecision.StopStragglers:
                        await Task.WhenAll(state.Cowboys.Where(c => c.Running).Select(c => byName[c.Name].Process.StopAsync(TimeSpan.FromSeconds(3))));
                        break;
                    case SupervisorDecision.GiveUp giveUp:
                        return giveUp.Reason;
                    case SupervisorDecision.Done:
                        return null;
                }
            }
            await Task.WhenAny(state.Cowboys.Where(c => c.Running).Select(c => (Task)byName[c.Name].Process.Exited).Append(Task.Delay(Poll, cancellation)));
        }
    }

    /// <summary>
    /// Redraws the live view whenever what the cowboys' GET /game showed changes (<see cref="GamePoller"/>,
    /// the supervisor's source too), until the game is over or every process has gone.
    /// </summary>
    private async Task ShowLiveViewAsync(Roster roster, GamePoller poller, Task supervising)
    {
        var frame = LiveFrame.Initial(roster);
        _live = true;
        try
        {
            await console.Live(LiveView.Render(frame)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async ctx =>
            {
                while (!supervising.IsCompleted)
                {
                    ImmutableArray<string> notes;
                    lock (_outputLock) notes = [.. _notes.TakeLast(LiveView.NotesShown)];
                    var next = LiveFrame.Of(roster, poller.Sight, notes);
                    if (!Same(next, frame))
                    {
                        frame = next;
                        lock (_outputLock)
                        {
                            ctx.UpdateTarget(LiveView.Render(frame));
                            ctx.Refresh();
                        }
                    }
                    if (frame.Game is { Over: true }) return;
                    await Task.WhenAny(supervising, Task.Delay(poller.Every));
                }
            });
        }
        finally
        {
            // the cowboys' last lines (the end, each one leaving) would only repeat what the view and the table show
            await supervising.ContinueWith(_ => { }, TaskScheduler.Default);
            _live = false;
        }

        static bool Same(LiveFrame a, LiveFrame b) =>
            a.Game?.ToJson() == b.Game?.ToJson() && a.LeaderHost == b.LeaderHost && a.Unreachable.SetEquals(b.Unreachable) && a.Starting.SetEquals(b.Starting)
            && a.Notes.SequenceEqual(b.Notes);
    }

    private int Conclude(Roster roster, List<Supervised> cowboys)
    {
        var reports = cowboys.Where(c => File.Exists(c.ResultFile))
            .Select(c => (c.Process.Name, Json: File.ReadAllText(c.ResultFile)))
            .ToList();
        if (reports.Count == 0)
        {
            var reasons = cowboys.Select(c => $"{c.Process.Name} (exit code {c.Process.Exited.Result}{(_lastErrorLine.TryGetValue(c.Process.Name, out var l) ? $": {l}" : "")})");
            error.WriteLine($"error: the game ended without a result: {string.Join("; ", reasons)}");
            return Failed;
        }
        var disagreeing = reports.Where(r => r.Json != reports[0].Json).Select(r => r.Name).ToList();
        if (disagreeing.Count > 0)
        {
            error.WriteLine($"error: the cowboys disagree on the result: {string.Join(", ", disagreeing)} differ from {reports[0].Name}");
            return Failed;
        }
        var silent = cowboys.Where(c => !File.Exists(c.ResultFile)).Select(c => c.Process.Name).ToList();
        if (silent.Count > 0) Announce($"never heard the result (restarted after the end or cut off): {string.Join(", ", silent)}");

        var result = ResultJson.Read(reports[0].Json) with { Faults = [.. _faults] };
        PrintSummary(roster, result);
        if (options.ResultPath is not null) File.WriteAllText(options.ResultPath, ResultJson.Write(result));
        return Ok;
    }

    private void PrintSummary(Roster roster, GameResult result)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Cowboy").AddColumn(new TableColumn("Health").RightAligned()).AddColumn(new TableColumn("Damage").RightAligned()).AddColumn("");
        for (var i = 0; i < roster.Count; i++)
        {
            var c = result.Cowboys[i];
            var forfeited = result.Events.Any(e => e.Cowboy == c.Name && e.Kind == GameEvent.Forfeit);
            var status = c.Name == result.Winner ? "[bold green]last man standing[/]" : forfeited ? "[grey]forfeited[/]" : c.Health == 0 ? "[grey]dead[/]" : "";
            table.AddRow(Markup.Escape(c.Name), $"{c.Health}/{roster.Cowboys[i].Health}", c.Damage.ToString(CultureInfo.InvariantCulture), status);
        }
        console.Write(table);
        var kills = result.Faults.Count(f => f.Kind == Fault.Kill);
        var pauses = result.Faults.Count(f => f.Kind == Fault.Pause);
        var faults = (kills > 0 ? $", {kills} processes killed" : "") + (pauses > 0 ? $", {pauses} frozen" : "");
        console.MarkupLine(result.Winner is null
            ? $"[bold]Draw[/]: nobody is left standing after {result.Beats} beats ({result.Shots.Length} shots{faults})"
            : $"[bold]Winner: {Markup.Escape(result.Winner)}[/], the last man standing after {result.Beats} beats ({result.Shots.Length} shots{faults})");
    }

    private static void TryDelete(DirectoryInfo dir)
    {
        try
        {
            dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Ctrl-C and SIGTERM cancel the game: every child is stopped before the launcher exits.</summary>
    public static IDisposable[] OnTerminationSignals(CancellationTokenSource cts) =>
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cts.Cancel(); }),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); }),
    ];

    /// <summary>A cowboy process and where it reports: what the shell needs (the supervisor's view of it is <see cref="SupervisedCowboy"/>).</summary>
    private sealed record Supervised(CowboyProcess Process, string ResultFile, int HttpPort);
}
