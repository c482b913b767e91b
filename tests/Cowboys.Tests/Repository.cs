namespace Cowboys.Tests;

/// <summary>The repository the tests run from: where the sources, manifests and the benchmark are.</summary>
public static class Repository
{
    /// <summary>The folder holding Cowboys.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cowboys.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Cowboys.sln not found in {AppContext.BaseDirectory} or any folder above it: the tests read the repository's sources, manifests and bench/");
    }
}
