using System.Security.Cryptography;

namespace Cowboys.Host.Launcher;

/// <summary>
/// The ReadyToRun copy of this program that the build publishes into `r2r/` beside it (see
/// Cowboys.Host.csproj): play starts its cowboys from it, since the NuGet assemblies ship as IL
/// only and every process would otherwise JIT-compile them again. The copy is used only when
/// its stamp names the hashes of the assemblies this process runs, i.e. it came from the same
/// build; otherwise play starts this very program, as before (docs/decisions/0018-a-hundred-cowboys.md).
/// </summary>
public static class ReadyToRunCopy
{
    public const string Directory = "r2r";
    public const string Stamp = "built-from.txt";

    /// <summary>The assemblies whose hashes the stamp holds: the two of this solution.</summary>
    public static readonly string[] StampedAssemblies = ["Cowboys.Host.dll", "Cowboys.Actors.dll"];

    /// <summary>The copy's executable, or null (with why) when there is none or it is stale.</summary>
    public static (string? Executable, string Why) Find(string baseDirectory)
    {
        var dir = Path.Combine(baseDirectory, Directory);
        var executable = Path.Combine(dir, "Cowboys.Host");
        var stamp = Path.Combine(dir, Stamp);
        if (!File.Exists(executable) || !File.Exists(stamp)) return (null, $"no ReadyToRun copy in {dir}");
        try
        {
            var hashes = StampedAssemblies.Select(a => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(baseDirectory, a)))));
            return Matches(File.ReadAllLines(stamp), hashes)
                ? (executable, $"the ReadyToRun copy in {dir}")
                : (null, $"the ReadyToRun copy in {dir} is from another build");
        }
        catch (IOException e)
        {
            return (null, $"cannot read the ReadyToRun copy's stamp: {e.Message}");
        }
    }

    /// <summary>True when the stamp lists exactly these hashes, in order (pure; case and blank lines do not matter).</summary>
    public static bool Matches(IEnumerable<string> stampLines, IEnumerable<string> hashes) =>
        stampLines.Select(l => l.Trim()).Where(l => l.Length > 0)
            .SequenceEqual(hashes.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
}
