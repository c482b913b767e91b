using System.Diagnostics;
using Xunit;

namespace Cowboys.Tests.Sandbox;

/// <summary>The real kubectl pointed at one sandbox: its own kubeconfig and its own discovery cache directory.</summary>
public sealed class KubectlRunner(string kubeconfig, string cacheDir)
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static bool IsInstalled { get; } = FindOnPath("kubectl");

    public static void SkipUnlessInstalled() =>
        Skip.IfNot(IsInstalled, "kubectl is not on PATH: these tests drive the real kubectl against the sandbox API server (CI installs Debian's kubernetes-client)");

    public Task<Result> RunAsync(params string[] args) => RunAsync(null, TimeSpan.FromSeconds(60), args);

    /// <summary>Runs kubectl with <paramref name="stdin"/> on its standard input (`kubectl apply -f -`), killing it after <paramref name="limit"/>.</summary>
    public async Task<Result> RunAsync(string? stdin, TimeSpan limit, params string[] args)
    {
        using var process = Start(args, redirectStdin: stdin is not null);
        using var timeout = new CancellationTokenSource(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), timeout.Token);
                process.StandardInput.Close();
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {limit.TotalSeconds} s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl and fails the test (with its output) unless it exits 0.</summary>
    public async Task<string> SucceedsAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result}");
        return result.Stdout;
    }

    /// <summary>Starts kubectl without waiting for it (kubectl wait).</summary>
    public Process Start(params string[] args) => Start(args, redirectStdin: false);

    private Process Start(string[] args, bool redirectStdin)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectStdin, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(cacheDir);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("KUBECONFIG");
        return Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
    }

    private static bool FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}
