using System.Diagnostics;

namespace Cowboys.Tests.Host.Inspection;

/// <summary>The real Prometheus's `promtool check metrics` (Debian's prometheus package, which .ci/run installs).</summary>
public static class Promtool
{
    public static bool IsInstalled { get; } = Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(d => File.Exists(Path.Combine(d, "promtool"))) == true;

    /// <summary>What promtool finds wrong with a scrape (empty: nothing), or null when promtool is not installed.</summary>
    public static async Task<IReadOnlyList<string>?> ProblemsAsync(string scrape)
    {
        if (!IsInstalled) return null;
        var info = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(scrape);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var lines = ((await stdout) + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return process.ExitCode == 0 && lines.Length == 0 ? [] : lines.DefaultIfEmpty($"promtool exited {process.ExitCode}").ToList();
    }
}
