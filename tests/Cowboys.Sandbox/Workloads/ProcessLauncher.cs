using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// Starts pod processes so that they die with the sandbox, whatever kills it: each is exec'd
/// through `setpriv --pdeathsig SIGKILL`, and from one long-lived thread, because the parent-death
/// signal fires when the thread that forked the child ends (a thread-pool thread could retire
/// and take a healthy pod with it).
/// </summary>
internal sealed partial class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _queue = new();
    private readonly Thread _thread;
    private readonly string? _setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);

    public ProcessLauncher()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "sandbox pod launcher" };
        _thread.Start();
    }

    /// <summary>Starts the executable (null environment entries are not set); output comes line by line to <paramref name="onLine"/>.</summary>
    public Task<Process> StartAsync(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory,
        Action<string> onLine)
    {
        var info = new ProcessStartInfo(_setpriv ?? executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (_setpriv is not null)
        {
            foreach (var a in new[] { "--pdeathsig", "KILL", "--", executable }) info.ArgumentList.Add(a);
        }
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment.Clear();
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((info, started));
        return started.Task.ContinueWith(t =>
        {
            var p = t.Result;
            p.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            p.StandardInput.Close();
            return p;
        }, TaskScheduler.Default);
    }

    private void Loop()
    {
        foreach (var (info, started) in _queue.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info };
                process.Start();
                started.SetResult(process);
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }

    /// <summary>A signal to the process alone (SIGTERM, as the container runtime sends to PID 1).</summary>
    public static void Signal(int pid, int signal) => _ = Kill(pid, signal);

    public const int SIGTERM = 15;
    public const int SIGKILL = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>The thread ends only with the sandbox: its pods are killed by their own disposal first.</summary>
    public void Dispose() => _queue.CompleteAdding();
}
