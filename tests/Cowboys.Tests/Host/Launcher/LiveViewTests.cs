using Cowboys.Actors.Node.Hosting;
using System.Collections.Immutable;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Host.Launcher;
using Spectre.Console;
using Xunit;

namespace Cowboys.Tests.Host.Launcher;

/// <summary>`play`'s live view, rendered to a string for a scripted game and compared with what the game did.</summary>
public class LiveViewTests
{
    private static readonly Roster Roster = RosterParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "samples", "shootout-full.yaml"));

    [Fact]
    public void The_launchers_notes_are_drawn_under_the_table_each_with_its_label()
    {
        var frame = LiveFrame.Initial(Roster) with
        {
            Notes = ["chaos 12:00:01.000 killed Bill with SIGKILL after beat 3", "play 12:00:02.000 Bill started again (incarnation 2)"],
        };

        var lines = RenderToString(frame).Split('\n');

        Assert.Contains(lines, l => l.StartsWith("chaos 12:00:01.000 killed Bill with SIGKILL after beat 3", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("play 12:00:02.000 Bill started again (incarnation 2)", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_beat_of_a_game_is_drawn_with_each_cowboys_health_his_shot_the_dead_the_leader_and_the_unreachable()
    {
        var result = Referee.Play(Roster, RuleSet.Sequential, 42);
        var health = Roster.Cowboys.ToDictionary(c => c.Name, c => c.Health);
        var view = GameView.Initial(Roster);
        var digest = 0L;
        for (var beat = 1; beat <= result.Beats; beat++)
        {
            var shots = result.Shots.Where(s => s.Beat == beat).ToImmutableArray();
            foreach (var s in shots) health[s.Target] = s.TargetHealth;
            var entry = BeatEntry.Create(digest, beat, 1, [.. Roster.Cowboys.Select(c => health[c.Name])], shots, []);
            digest = entry.Digest;
            view = CommittedView.Next(view, entry);
            var leader = Roster.Cowboys[beat % Roster.Count].Name;
            var unreachable = Roster.Cowboys[(beat + 2) % Roster.Count].Name;

            var text = RenderToString(LiveFrame.Initial(Roster) with { Game = view, LeaderHost = leader, Unreachable = [unreachable], Starting = [] });

            Assert.Contains($"Beat {beat}", text);
            foreach (var cowboy in Roster.Cowboys)
            {
                var row = RowOf(text, cowboy.Name);
                var h = health[cowboy.Name];
                // the bar: a cell per 1/20 of his starting health, rounded up; nothing left when dead
                var expectedCells = h == 0 ? 0 : (int)Math.Ceiling(h * 20.0 / cowboy.Health);
                Assert.Equal(expectedCells, row.Count(c => c == LiveView.Full));
                Assert.Equal(20 - expectedCells, row.Count(c => c == LiveView.Empty));
                Assert.Contains($" {h}/{cowboy.Health} ", row);
                Assert.Equal(h == 0, row.Contains("dead", StringComparison.Ordinal));
                Assert.Equal(cowboy.Name == leader, row.Contains("leader", StringComparison.Ordinal));
                Assert.Equal(cowboy.Name == unreachable, row.Contains("unreachable", StringComparison.Ordinal));
                var fired = shots.Where(s => s.Shooter == cowboy.Name).ToList();
                foreach (var s in fired) Assert.Contains($"→ {s.Target} -{s.Damage}", row);
                if (fired.Count == 0) Assert.DoesNotContain("→", row);
            }
        }
        Assert.Contains($"{result.Winner} is the last man standing", RenderToString(LiveFrame.Initial(Roster) with { Game = GameView.Of(new(Roster, RuleSet.Sequential, 42, TimeSpan.Zero), view, result, false) }));
    }

    [Fact]
    public void Before_any_answer_every_cowboy_is_starting_at_full_health()
    {
        var text = RenderToString(LiveFrame.Initial(Roster));

        Assert.Contains("waiting for the cowboys", text);
        foreach (var cowboy in Roster.Cowboys)
        {
            var row = RowOf(text, cowboy.Name);
            Assert.Equal(20, row.Count(c => c == LiveView.Full));
            Assert.Contains("starting", row);
        }
    }

    [Fact]
    public void The_furthest_view_wins_and_a_finished_game_wins_over_any_beat()
    {
        var initial = GameView.Initial(Roster);
        var beat3 = initial with { Beat = 3 };
        var over = initial with { Beat = 2, Over = true };

        Assert.Same(beat3, LiveFrame.Best([initial, null, beat3]));
        Assert.Same(over, LiveFrame.Best([beat3, over, null]));
        Assert.Null(LiveFrame.Best([null, null]));
    }

    [Theory]
    [InlineData(true, false, null, true)]
    [InlineData(false, false, null, false)] // redirected: LiveDisplay would repeat the whole table on every refresh
    [InlineData(true, true, null, false)]
    [InlineData(true, false, LogFormat.Json, false)]
    [InlineData(true, false, LogFormat.Text, true)]
    public void The_live_view_is_drawn_only_on_a_terminal_without_plain_or_json(bool interactive, bool plain, LogFormat? format, bool live)
    {
        var options = new PlayOptions
        {
            RosterFile = "roster.yaml",
            Seed = 1,
            Timeout = TimeSpan.FromMinutes(1),
            Plain = plain,
            Cowboys = CowboyOptions.Defaults with { Beat = TimeSpan.Zero, LogFormat = format },
        };

        Assert.Equal(live, PlayCommand.UsesLiveView(options, interactive));
    }

    private static string RenderToString(LiveFrame frame)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 120;
        console.Write(LiveView.Render(frame));
        return writer.ToString();
    }

    private static string RowOf(string text, string name) =>
        Assert.Single(text.Split('\n'), l => l.StartsWith($"│ {name} ", StringComparison.Ordinal));
}
