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

    /// <summary>Polls the output until it contains the text (a condition, not a fixed sleep).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{text}' did not appear.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            }
            await Task.Delay(50);
        }
    }

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

    public static async Task WaitUntilAllGoneAsync(IEnumerable<int> pids, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var left = pids.ToList();
        while ((left = left.Where(IsAlive).ToList()).Count > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"cowboy processes still running: {string.Join(", ", left)}");
            await Task.Delay(50);
        }
    }
}
