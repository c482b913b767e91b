using System.Diagnostics;
using Xunit;

namespace Cowboys.Tests.Sandbox;

/// <summary>The sandbox as a process (tests/Cowboys.Sandbox's Program): arguments, the kubeconfig, and shutdown on a signal.</summary>
public sealed class SandboxProgramTests : IDisposable
{
    // the test project references the sandbox, so its build sits next to the tests
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Cowboys.Sandbox.dll");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-sandbox-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("the sandbox did not start");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        var (code, stdout, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("usage: Cowboys.Sandbox --kubeconfig PATH", stdout);
    }

    [Theory]
    [InlineData(new string[0], "--kubeconfig PATH is required")]
    [InlineData(new[] { "--kubeconfig" }, "--kubeconfig needs a value")]
    [InlineData(new[] { "--kubeconfig", "k", "--port", "http" }, "--port must be a number from 1 to 65535, got 'http'")]
    [InlineData(new[] { "--kubeconfig", "k", "--verbose" }, "unknown argument '--verbose'")]
    [InlineData(new[] { "--kubeconfig", "/no/such/dir/k" }, "the directory of --kubeconfig does not exist: /no/such/dir")]
    public async Task Bad_arguments_exit_2_naming_the_problem(string[] args, string message)
    {
        var (code, _, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public async Task The_kubeconfig_appears_once_the_server_answers_and_SIGTERM_stops_it_cleanly()
    {
        var kubeconfig = Path.Combine(_dir.FullName, "kubeconfig");
        using var sandbox = Start("--kubeconfig", kubeconfig);
        var stdout = sandbox.StandardOutput.ReadToEndAsync();
        try
        {
            await Eventually.Until(() => File.Exists(kubeconfig), written => written, TimeSpan.FromSeconds(30), "the sandbox to write its kubeconfig",
                _ => $"none; {(sandbox.HasExited ? $"the sandbox exited {sandbox.ExitCode}" : "the sandbox runs")}", () => sandbox.HasExited, TimeSpan.FromMilliseconds(20));
            // the file is complete when it appears, and the server already answers
            var server = File.ReadAllLines(kubeconfig).Single(l => l.TrimStart().StartsWith("server:", StringComparison.Ordinal)).Split("server:")[1].Trim();
            using var http = new HttpClient();
            Assert.Contains("v1.32.0-sandbox", await http.GetStringAsync(server + "/version"));
            Assert.Contains("\"default\"", await http.GetStringAsync(server + "/api/v1/namespaces"));

            Process.Start("kill", ["-TERM", sandbox.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await sandbox.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, sandbox.ExitCode);
            Assert.Contains("sandbox API server stopping", await stdout);
        }
        finally
        {
            if (!sandbox.HasExited)
            {
                sandbox.Kill();
            }
        }
    }
}
