using System.Text.RegularExpressions;
using Cowboys.Actors.Telemetry;
using Cowboys.Host.Cowboy;
using Xunit;

namespace Cowboys.Tests.Actors.Telemetry;

/// <summary>Every event the program logs is declared once (LogEvents; the operator's OperatorLog), with its own id and named fields, and a JSON line carries both.</summary>
public sealed partial class LogEventsTests
{
    [Fact]
    public void Each_event_has_its_own_id_name_and_template_and_names_every_field()
    {
        Assert.NotEmpty(LogEvents.All);
        Assert.Equal(LogEvents.All.Count, LogEvents.All.Select(e => e.Id).Distinct().Count());
        Assert.Equal(LogEvents.All.Count, LogEvents.All.Select(e => e.Name).Distinct().Count());
        Assert.Equal(LogEvents.All.Count, LogEvents.All.Select(e => e.Template).Distinct().Count());
        Assert.All(LogEvents.All, e =>
        {
            Assert.NotEmpty(e.Fields);
            Assert.All(e.Fields, f => Assert.True(char.IsUpper(f[0]), $"{e.Name}: field {{{f}}} is not a name"));
            // each field once: Akka fills holes by position, the JSON state by name
            Assert.Equal(e.Fields.Count, Hole().Matches(e.Template).Count);
        });
    }

    [Fact]
    public void The_product_logs_only_declared_events()
    {
        var root = Repository.Root;
        var literal = new List<string>();
        foreach (var project in new[] { "Cowboys.Actors", "Cowboys.Host", "Cowboys.Operator" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                literal.AddRange(LiteralAkkaLog().Matches(File.ReadAllText(file)).Select(m => $"{Path.GetRelativePath(root, file)}: {m.Value}"));
            }
        }
        Assert.Empty(literal);
    }

    [Fact]
    public void A_declared_events_json_line_carries_its_event_id_and_its_fields_by_name()
    {
        var e = LogEvents.Hit;
        var state = LogState.Of(e.Template, [4, 6], e.Format(4, 6));

        Assert.Equal((1007, "Hit"), (e.Id, e.Name));
        Assert.Equal(e, LogEvents.Of(e.Template));
        Assert.Equal([new("Beat", 4), new("Health", 6)], state.Take(2).ToArray());
        Assert.Equal("beat 4: I'm hit, 6 health left", e.Format(4, 6));
        Assert.Null(LogEvents.Of("Association with remote system {0} has failed"));
    }

    [GeneratedRegex(@"\{[A-Za-z0-9_]+(?::[^}]*)?\}")]
    private static partial Regex Hole();

    // an Akka log call whose template is a literal, not one of LogEvents; or a Microsoft.Extensions.Logging one, not one of OperatorLog's
    [GeneratedRegex(@"\b(?:_log|Log|log|_logger|logger)\.(?:Info|Warning|Error|Debug|LogInformation|LogWarning|LogError|LogDebug|LogTrace|LogCritical)\(\s*\$?""")]
    private static partial Regex LiteralAkkaLog();
}
