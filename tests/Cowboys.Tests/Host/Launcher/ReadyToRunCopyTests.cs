using System.Security.Cryptography;
using Cowboys.Host.Launcher;
using Xunit;

namespace Cowboys.Tests.Host.Launcher;

public class ReadyToRunCopyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-r2r-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void The_stamp_matches_only_the_same_hashes_in_the_same_order()
    {
        Assert.True(ReadyToRunCopy.Matches(["AB12", "cd34", ""], ["ab12", "CD34"]));
        Assert.False(ReadyToRunCopy.Matches(["CD34", "AB12"], ["AB12", "CD34"]));
        Assert.False(ReadyToRunCopy.Matches(["AB12"], ["AB12", "CD34"]));
        Assert.False(ReadyToRunCopy.Matches(["AB12", "CD35"], ["AB12", "CD34"]));
    }

    [Fact]
    public void A_copy_stamped_with_this_builds_assemblies_is_used()
    {
        WriteBuild(stampedWith: null);
        var (exe, why) = ReadyToRunCopy.Find(_dir.FullName);
        Assert.Equal(Path.Combine(_dir.FullName, "r2r", "Cowboys.Host"), exe);
        Assert.Contains("ReadyToRun copy", why);
    }

    [Fact]
    public void A_copy_from_another_build_is_not_used()
    {
        WriteBuild(stampedWith: "an older Cowboys.Actors.dll");
        var (exe, why) = ReadyToRunCopy.Find(_dir.FullName);
        Assert.Null(exe);
        Assert.Contains("from another build", why);
    }

    [Fact]
    public void Without_a_copy_play_starts_itself()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "Cowboys.Host.dll"), "host");
        var (exe, why) = ReadyToRunCopy.Find(_dir.FullName);
        Assert.Null(exe);
        Assert.Contains("no ReadyToRun copy", why);
    }

    [Fact]
    public void The_build_publishes_a_copy_stamped_with_the_assemblies_it_built()
    {
        // this test's own build of Cowboys.Host made one beside its output (Cowboys.Host.csproj)
        var hostOutput = EndToEnd.LargeGameTests.HostBuildOutput();
        var (exe, why) = ReadyToRunCopy.Find(hostOutput);
        Assert.True(exe is not null, why);
        Assert.True(File.Exists(exe));
    }

    private void WriteBuild(string? stampedWith)
    {
        var host = Path.Combine(_dir.FullName, "Cowboys.Host.dll");
        var actors = Path.Combine(_dir.FullName, "Cowboys.Actors.dll");
        File.WriteAllText(host, "host");
        File.WriteAllText(actors, "actors");
        var r2r = Directory.CreateDirectory(Path.Combine(_dir.FullName, "r2r"));
        File.WriteAllText(Path.Combine(r2r.FullName, "Cowboys.Host"), "");
        var actorsHash = stampedWith is null ? Hash(File.ReadAllBytes(actors)) : Hash(System.Text.Encoding.UTF8.GetBytes(stampedWith));
        File.WriteAllLines(Path.Combine(r2r.FullName, "built-from.txt"), [Hash(File.ReadAllBytes(host)), actorsHash]);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
