using System.Diagnostics;
using System.Text;

namespace Cowboys.Tests.EndToEnd;

/// <summary>Runs the real Cowboys.Host executable as a separate process, the way a user runs `play`.</summary>
public sealed class PlayRun : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open = 2;

    public PlayRun(params string[] arguments) : this(null, null, arguments)
    {
    }

    private PlayRun(string? networkNamespace, IReadOnlyDictionary<string, string?>? environment, string[] arguments, string program = "Cowboys.Host")
    {
        var executable = Path.Combine(AppContext.BaseDirectory, program);
        var info = new ProcessStartInfo(networkNamespace is null ? executable : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (networkNamespace is not null)
        {
            foreach (var a in new[] { "netns", "exec", networkNamespace, executable }) info.ArgumentList.Add(a);
        }
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) info.Environment[key] = value;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Runs the executable inside a Linux network namespace (`ip netns exec`).</summary>
    public static PlayRun InNamespace(string networkNamespace, params string[] arguments) => new(networkNamespace, null, arguments);

    /// <summary>Runs the executable with these environment variables set (null removes one).</summary>
    public static PlayRun WithEnvironment(IReadOnlyDictionary<string, string?> environment, params string[] arguments) => new(null, environment, arguments);

    /// <summary>Runs another executable of the solution (e.g. Cowboys.Operator) the same way.</summary>
    public static PlayRun Program(string program, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        new(null, environment, arguments, program);

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: a crash, no goodbye.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public string Stdout
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static string SamplePath => Path.Combine(AppContext.BaseDirectory, "samples", "shootout-full.yaml");

    /// <summary>Waits for the exit and for every line of output; fails the test if it takes longer than the limit.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await _drained.Task.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"play did not exit within {limit}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        return _process.ExitCode;
    }

    /// <summary>Polls stdout (or stderr) until it contains the text (a condition, not a fixed sleep); stops early once all output is read.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan limit, bool onStderr = false) =>
        Eventually.Until(() => onStderr ? Stderr : Stdout, output => output.Contains(text, StringComparison.Ordinal), limit,
            $"'{text}' on {(onStderr ? "stderr" : "stdout")}", _ => $"{(HasExited ? $"exited {_process.ExitCode}" : "running")}\nstdout:\n{Stdout}\nstderr:\n{Stderr}",
            () => _drained.Task.IsCompleted, TimeSpan.FromMilliseconds(50));

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void OnLine(StringBuilder sink, string? line)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _open) == 0) _drained.TrySetResult();
            return;
        }
        lock (sink) sink.AppendLine(line);
    }
}

/// <summary>Finds the cowboy processes a launcher started, through /proc.</summary>
public static class CowboyProcesses
{
    public static IReadOnlyList<int> ChildrenOf(int launcherPid) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0 && CommandLine(pid) is { } cmd && cmd.Contains(" cowboy --name ", StringComparison.Ordinal)
                          && cmd.Contains($" --parent-pid {launcherPid}", StringComparison.Ordinal))
            .ToList();

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/cmdline") && CommandLine(pid) is { Length: > 0 };

    public static string? CommandLine(int pid)
    {
        try
        {
            return " " + File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static Task WaitUntilAllGoneAsync(IEnumerable<int> pids, TimeSpan limit)
    {
        // a pid once gone is not looked at again: the system may give it to another process
        var left = pids.ToList();
        return Eventually.Until(() => left = left.Where(IsAlive).ToList(), l => l.Count == 0, limit, "the cowboy processes to be gone",
            l => $"still running: {string.Join(", ", l.Select(pid => $"{pid} ({NameOf(pid)})"))}", every: TimeSpan.FromMilliseconds(50));
    }

    /// <summary>The cowboy's --name, from his command line.</summary>
    private static string? NameOf(int pid) =>
        CommandLine(pid)?.Split(" --name ", 2) is [_, var rest] ? rest.Split(' ')[0] : null;
}
