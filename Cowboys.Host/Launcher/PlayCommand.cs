using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Cowboys.Actors.Rosters;
using Cowboys.Actors.Rules;
using Spectre.Console;

namespace Cowboys.Host.Launcher;

/// <summary>
/// `play`: the whole shootout on one machine. Starts one `cowboy` process per roster entry, shows
/// their merged output like stern, waits for the game to end, checks that every process
/// reports the same result, and prints it.
/// </summary>
public sealed class PlayCommand(PlayOptions options, IAnsiConsole console, TextWriter error)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidRoster = 2;

    private static readonly string[] Palette = ["aqua", "yellow", "fuchsia", "lime", "orange1", "deepskyblue1", "violet", "gold1", "springgreen1", "salmon1"];
    private readonly object _outputLock = new();
    private readonly ConcurrentDictionary<string, string> _lastErrorLine = new();

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
                            $"{PlayOptions.MaxLocalCowboys} on one machine; this roster has {roster.Count} (run it on Kubernetes instead)");
            return InvalidRoster;
        }

        var seed = options.Seed ?? Random.Shared.NextInt64(0, int.MaxValue);
        console.MarkupLineInterpolated($"[bold]Shootout {roster.ShootoutName ?? Path.GetFileName(options.RosterFile)}[/]: {roster.Count} cowboys, rules {options.Rules.ToWire()}, beat {Duration.Format(options.Beat)}, seed {seed} (replay with --seed {seed})");

        var workDir = Directory.CreateTempSubdirectory("cowboys-play-");
        var cowboys = StartCowboys(roster, seed, workDir.FullName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.Timeout);
        try
        {
            var exits = await WaitForAllAsync(cowboys, timeout.Token);
            return Conclude(roster, cowboys, exits, workDir.FullName);
        }
        catch (OperationCanceledException)
        {
            var why = cancellation.IsCancellationRequested ? "stopped" : $"the game did not end within {Duration.Format(options.Timeout)}";
            error.WriteLine($"error: {why}; stopping every cowboy");
            await Task.WhenAll(cowboys.Select(c => c.StopAsync(TimeSpan.FromSeconds(3))));
            return Failed;
        }
        finally
        {
            TryDelete(workDir);
        }
    }

    private List<CowboyProcess> StartCowboys(Roster roster, long seed, string workDir)
    {
        var ports = FreePorts.Take(roster.Count * 2);
        var contactPoints = string.Join(',', Enumerable.Range(0, roster.Count).Select(i => $"127.0.0.1:{ports[2 * i + 1]}"));
        var width = roster.Cowboys.Max(c => c.Name.Length);
        var cowboys = new List<CowboyProcess>();
        for (var i = 0; i < roster.Count; i++)
        {
            var name = roster.Cowboys[i].Name;
            var color = Palette[i % Palette.Length];
            var prefix = $"[{color}]{Markup.Escape(name.PadRight(width))}[/] | ";
            var arguments = new List<string>
            {
                "cowboy", "--name", name,
                "--roster", Path.GetFullPath(options.RosterFile),
                "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--rules", options.Rules.ToWire(),
                "--beat", Duration.Format(options.Beat),
                "--host", "127.0.0.1",
                "--port", ports[2 * i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--http-port", ports[2 * i + 1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--contact-points", contactPoints,
                "--result", Path.Combine(workDir, $"{i}.json"),
                "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var cowboy = new CowboyProcess(name, arguments, (process, line, isError) => Print(prefix, process, line, isError));
            cowboy.Start();
            cowboys.Add(cowboy);
        }
        return cowboys;
    }

    private void Print(string prefix, CowboyProcess process, string line, bool isError)
    {
        if (isError) _lastErrorLine[process.Name] = line;
        lock (_outputLock)
        {
            console.MarkupLine(prefix + (isError ? $"[red]{Markup.Escape(line)}[/]" : Markup.Escape(line)));
        }
    }

    /// <summary>Waits for every process to exit; a process failing before the game ended stops the rest.</summary>
    private async Task<int[]> WaitForAllAsync(List<CowboyProcess> cowboys, CancellationToken cancellation)
    {
        var pending = cowboys.ToDictionary(c => c.Exited, c => c);
        var exits = new int[cowboys.Count];
        var cancelled = Task.Delay(Timeout.Infinite, cancellation);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Keys.Append(cancelled));
            if (done == cancelled) throw new OperationCanceledException(cancellation);
            var cowboy = pending[(Task<int>)done];
            pending.Remove((Task<int>)done);
            exits[cowboys.IndexOf(cowboy)] = await cowboy.Exited;
            if (cowboy.Exited.Result != 0 && pending.Count > 0)
            {
                error.WriteLine($"error: {cowboy.Name} exited with code {cowboy.Exited.Result}; stopping the others");
                await Task.WhenAll(pending.Values.Select(c => c.StopAsync(TimeSpan.FromSeconds(3))));
                foreach (var (task, other) in pending) exits[cowboys.IndexOf(other)] = await task;
                pending.Clear();
            }
        }
        return exits;
    }

    private int Conclude(Roster roster, List<CowboyProcess> cowboys, int[] exits, string workDir)
    {
        var reports = new List<(string Name, GameResult Result, string Json)>();
        for (var i = 0; i < cowboys.Count; i++)
        {
            var file = Path.Combine(workDir, $"{i}.json");
            if (!File.Exists(file)) continue;
            var json = File.ReadAllText(file);
            reports.Add((cowboys[i].Name, ResultJson.Read(json), json));
        }

        var silent = cowboys.Where((_, i) => exits[i] != 0 || !File.Exists(Path.Combine(workDir, $"{i}.json"))).ToList();
        if (reports.Count == 0 || silent.Count > 0)
        {
            var reasons = silent.Select(c => $"{c.Name} (exit code {exits[cowboys.IndexOf(c)]}{(_lastErrorLine.TryGetValue(c.Name, out var l) ? $": {l}" : "")})");
            error.WriteLine($"error: the game did not end with a result from every cowboy: {string.Join("; ", reasons)}");
            return Failed;
        }
        var disagreeing = reports.Where(r => r.Json != reports[0].Json).Select(r => r.Name).ToList();
        if (disagreeing.Count > 0)
        {
            error.WriteLine($"error: the cowboys disagree on the result: {string.Join(", ", disagreeing)} differ from {reports[0].Name}");
            return Failed;
        }

        var result = reports[0].Result;
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
            var status = c.Name == result.Winner ? "[bold green]last man standing[/]" : c.Health == 0 ? "[grey]dead[/]" : "";
            table.AddRow(Markup.Escape(c.Name), $"{c.Health}/{roster.Cowboys[i].Health}", c.Damage.ToString(System.Globalization.CultureInfo.InvariantCulture), status);
        }
        console.Write(table);
        console.MarkupLine(result.Winner is null
            ? $"[bold]Draw[/]: nobody is left standing after {result.Beats} beats ({result.Shots.Length} shots)"
            : $"[bold]Winner: {Markup.Escape(result.Winner)}[/], the last man standing after {result.Beats} beats ({result.Shots.Length} shots)");
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
}
