using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// Starts pod processes so that they die with the sandbox, whatever kills it: each is exec'd
/// through `setpriv --pdeathsig SIGKILL`, and from one long-lived thread, because the parent-death
/// signal fires when the thread that forked the child ends (a thread-pool thread could retire
/// and take a healthy pod with it).
/// </summary>
internal sealed class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _queue = new();
    private readonly Thread _thread;
    private readonly string? _setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);
    private readonly string? _setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    public ProcessLauncher()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "sandbox pod launcher" };
        _thread.Start();
    }

    /// <summary>Starts the executable (null environment entries are not set); output comes line by line to <paramref name="onLine"/>.</summary>
    public Task<Process> StartAsync(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory,
        Action<string> onLine) =>
        SpawnAsync(executable, arguments, environment, workingDirectory).ContinueWith(t =>
        {
            var p = t.Result;
            p.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            p.StandardInput.Close();
            return p;
        }, TaskScheduler.Default);

    /// <summary>Starts the executable with its three standard streams left to the caller (an exec's stdin, stdout and stderr).</summary>
    public Task<Process> SpawnAsync(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        // setsid: the container's processes form one process group, killed together when the main one ends
        var chain = new List<string>();
        if (_setpriv is not null) chain.AddRange([_setpriv, "--pdeathsig", "KILL", "--"]);
        if (_setsid is not null) chain.Add(_setsid);
        chain.Add(executable);
        var info = new ProcessStartInfo(chain[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in chain.Skip(1)) info.ArgumentList.Add(a);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment.Clear();
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((info, started));
        return started.Task;
    }

    private void Loop()
    {
        foreach (var (info, started) in _queue.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.Start();
                started.SetResult(process);
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }

    /// <summary>Completes when the process has ended, without waiting for its output to be read (WaitForExitAsync does, and a child that keeps the pipe open would hold it).</summary>
    public static Task Exited(Process process)
    {
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        if (process.HasExited) exited.TrySetResult();
        return exited.Task;
    }

    /// <summary>A signal to the process alone (SIGTERM, as the container runtime sends to PID 1).</summary>
    public static void Signal(int pid, int signal) => _ = Cowboys.Host.Launcher.Posix.Kill(pid, signal);

    /// <summary>SIGKILL to every process of the group the container's main process leads (it may have ended already).</summary>
    public static void KillGroup(int pid) => _ = Cowboys.Host.Launcher.Posix.Kill(-pid, SIGKILL);

    public const int SIGTERM = Cowboys.Host.Launcher.Posix.SIGTERM;
    public const int SIGKILL = Cowboys.Host.Launcher.Posix.SIGKILL;

    /// <summary>The thread ends only with the sandbox: its pods are killed by their own disposal first.</summary>
    public void Dispose() => _queue.CompleteAdding();
}
