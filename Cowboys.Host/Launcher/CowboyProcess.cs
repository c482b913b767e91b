using System.Diagnostics;
using Cowboys.Actors.Node.Hosting;

namespace Cowboys.Host.Launcher;

/// <summary>
/// One cowboy's OS process, started the way a pod runs it: the same executable with the
/// `cowboy --name NAME ...` command. It can be started again with the same command line, as a
/// Job restarts a pod.
/// </summary>
public sealed class CowboyProcess
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly Action<CowboyProcess, string, bool> _onLine;
    private Process? _process;

    public CowboyProcess(string name, IReadOnlyList<string> arguments, Action<CowboyProcess, string, bool> onLine)
    {
        Name = name;
        _arguments = arguments;
        _onLine = onLine;
    }

    public string Name { get; }

    public int? Pid => _process?.Id;

    public int Incarnation { get; private set; }

    /// <summary>Completes with the exit code when the current incarnation exits.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    /// <summary>The full command line, for logs and for tests that look for `cowboy --name NAME`.</summary>
    public string CommandLine => string.Join(' ', new[] { Executable.Path }.Concat(Executable.Prefix).Concat(_arguments));

    public void Start()
    {
        var info = new ProcessStartInfo(Executable.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in Executable.Prefix.Concat(_arguments)) info.ArgumentList.Add(arg);
        // the user's own setting of one of these wins
        foreach (var (key, value) in CowboyRuntime.Environment) info.Environment.TryAdd(key, value);

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var streamsOpen = 2;
        void StreamClosed()
        {
            // report the exit only after both pipes are drained, so no line is lost or printed after the verdict
            if (Interlocked.Decrement(ref streamsOpen) == 0) process.WaitForExitAsync().ContinueWith(_ => exited.TrySetResult(process.ExitCode));
        }
        process.OutputDataReceived += (_, e) => { if (e.Data is null) StreamClosed(); else _onLine(this, e.Data, false); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) StreamClosed(); else _onLine(this, e.Data, true); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Exited = exited.Task;
        Incarnation++;
    }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>SIGKILL: the crash the fault injector makes.</summary>
    public void Kill()
    {
        try
        {
            if (IsRunning) _process!.Kill();
        }
        catch (InvalidOperationException)
        {
            // it exited on its own meanwhile
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it has not gone within the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!IsRunning) return;
        Posix.Kill(_process!.Id, Posix.SIGTERM);
        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited) Kill();
        await Exited;
    }

    /// <summary>Where the cowboys' program comes from, for play to say so once.</summary>
    public static string ExecutableSource => Executable.Source;

    /// <summary>
    /// How to start this same program again: the build's ReadyToRun copy of it when it is from the
    /// same build, else its apphost, or `dotnet Cowboys.Host.dll`.
    /// </summary>
    private static class Executable
    {
        public static readonly string Path;
        public static readonly string[] Prefix;
        public static readonly string Source;

        static Executable()
        {
            var (copy, why) = ReadyToRunCopy.Find(AppContext.BaseDirectory);
            Source = why;
            if (copy is not null)
            {
                Path = copy;
                Prefix = [];
                return;
            }
            var processPath = Environment.ProcessPath!;
            var isMuxer = System.IO.Path.GetFileNameWithoutExtension(processPath) == "dotnet";
            Path = processPath;
            Prefix = isMuxer ? [typeof(CowboyProcess).Assembly.Location] : [];
        }
    }
}
