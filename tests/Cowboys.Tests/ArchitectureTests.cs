using System.Text.RegularExpressions;
using Xunit;

namespace Cowboys.Tests;

/// <summary>
/// The layout is the architecture (docs/decisions/0023): the game depends on nothing, the protocol
/// only on the game, coordination not on the node or the cluster, and the test tree mirrors
/// the product's. Read from the sources, so a using that breaks a rule fails here with its file.
/// </summary>
public sealed partial class ArchitectureTests
{
    public static TheoryData<string, string[]> Rules => new()
    {
        // folder of Cowboys.Actors, and the namespaces its files may not use
        { "Game", ["Cowboys.Actors.Protocol", "Cowboys.Actors.Node", "Cowboys.Actors.Coordination", "Cowboys.Actors.Telemetry", "Akka"] },
        { "Protocol", ["Cowboys.Actors.Node", "Cowboys.Actors.Coordination", "Akka"] },
        // a lease plugin is built with the ActorSystem (Akka.Actor), and that is all it may know of it
        { "Coordination", ["Cowboys.Actors.Node", "Akka.Cluster", "Akka.Remote"] },
        { "Telemetry", ["Cowboys.Actors.Node", "Cowboys.Actors.Coordination", "Cowboys.Actors.Protocol"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_folder_of_the_library_uses_only_what_lies_below_it(string folder, string[] forbidden)
    {
        var root = Path.Combine(Repository.Root, "Cowboys.Actors", folder);
        var breaches =
            from file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            from line in File.ReadLines(file).Select((text, i) => (text, number: i + 1))
            let used = Used().Match(line.text)
            where used.Success && forbidden.Any(f => used.Groups[1].Value == f || used.Groups[1].Value.StartsWith(f + ".", StringComparison.Ordinal))
            select $"{Path.GetRelativePath(Repository.Root, file)}:{line.number}: {line.text.Trim()}";

        Assert.Empty(breaches);
    }

    [Fact]
    public void Every_test_folder_of_a_project_mirrors_a_folder_of_that_project()
    {
        var tests = Path.Combine(Repository.Root, "tests", "Cowboys.Tests");
        var strays =
            from project in new[] { "Actors", "Host", "Operator" }
            let mirror = Path.Combine(tests, project)
            from folder in Directory.EnumerateDirectories(mirror, "*", SearchOption.AllDirectories)
            let relative = Path.GetRelativePath(mirror, folder)
            where !IsOutput(relative) && !Directory.Exists(Path.Combine(Repository.Root, $"Cowboys.{project}", relative))
                  // beside the tests of a folder: their golden files, and the protocol's schedule search
                  && Path.GetFileName(folder) is not ("Golden" or "Search")
            select $"tests/Cowboys.Tests/{project}/{relative}";

        Assert.Empty(strays);
    }

    private static bool IsOutput(string relative) => relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal);

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?([\w.]+)\s*;")]
    private static partial Regex Used();
}
