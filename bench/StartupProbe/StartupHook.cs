using System.Diagnostics;
using System.Text.Json;

/// <summary>
/// Loaded by the runtime before Main when DOTNET_STARTUP_HOOKS names this assembly (the type must be
/// called StartupHook, in no namespace). At exit it appends one JSON line to the file that
/// COWBOYS_STARTUP_PROBE names. The figures are the runtime's own counters (System.Runtime.JitInfo),
/// so the probe adds no listener and no event to the process it measures.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var file = Environment.GetEnvironmentVariable("COWBOYS_STARTUP_PROBE");
        if (string.IsNullOrEmpty(file)) return;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Report(file);
    }

    private static void Report(string file)
    {
        using var process = Process.GetCurrentProcess();
        var line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["pid"] = Environment.ProcessId,
            // the command (play, cowboy, lone, ...): which process of a game this was
            ["command"] = Environment.GetCommandLineArgs().Skip(1).FirstOrDefault() ?? "",
            ["cpu_ms"] = process.TotalProcessorTime.TotalMilliseconds,
            ["jit_ms"] = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
            ["jit_methods"] = System.Runtime.JitInfo.GetCompiledMethodCount(),
            ["assemblies"] = AppDomain.CurrentDomain.GetAssemblies().Length,
        });
        // one short append per process: the lines of processes exiting at once do not interleave
        File.AppendAllText(file, line + "\n");
    }
}
