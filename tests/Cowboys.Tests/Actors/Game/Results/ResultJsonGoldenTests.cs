using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cowboys.Actors.Game.Results;
using Xunit;

namespace Cowboys.Tests.Actors.Game.Results;

/// <summary>
/// The JSON of a result (play --result, the checks), of its termination message (the operator) and
/// of a view (GET /game, the operator, play's live view), pinned byte for byte: the files under Golden/ were written by the
/// hand-written writers, so that whatever writes them next writes exactly the same text.
/// </summary>
public sealed class ResultJsonGoldenTests
{
    public static TheoryData<string> ResultNames => [.. JsonSamples.Results.Select(s => s.Name)];

    public static TheoryData<string> SummaryNames => [.. JsonSamples.Summaries.Select(s => s.Name)];

    public static TheoryData<string> ViewNames => [.. JsonSamples.Views.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ResultNames))]
    public void A_result_is_written_byte_for_byte_as_its_golden_file(string name) =>
        Assert.Equal(Golden($"result-{name}.json"), ResultJson.Write(Result(name)));

    [Theory]
    [MemberData(nameof(ResultNames))]
    public void A_golden_result_reads_back_as_the_result_it_was_written_from(string name) =>
        JsonRoundTrip.AssertSame(Result(name), ResultJson.Read(Golden($"result-{name}.json")));

    [Theory]
    [MemberData(nameof(SummaryNames))]
    public void A_termination_message_is_written_byte_for_byte_as_its_golden_file(string name) =>
        Assert.Equal(Golden($"summary-{name}.json"), JsonSamples.Summaries.Single(s => s.Name == name).Summary.Write());

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void A_view_is_written_byte_for_byte_as_its_golden_file(string name) =>
        Assert.Equal(Golden($"view-{name}.json"), View(name).ToJson());

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void A_golden_view_parses_back_as_the_view_it_was_written_from(string name) =>
        JsonRoundTrip.AssertSame(View(name), GameView.TryParse(Golden($"view-{name}.json")));

    [Fact]
    public void A_view_from_before_health_and_shots_still_parses_with_neither()
    {
        var view = GameView.TryParse(Golden("view-before-health-and-shots.json"))!;

        JsonRoundTrip.AssertSame(new GameView(2, 1, 3, [new Death("Sam", 2, Death.Forfeit)], null, false), view);
        Assert.Empty(view.Health);
        Assert.Empty(view.Shots);
    }

    [Theory]
    [InlineData("$.shots[2]", "beat", null, "result.shots[2].beat is missing")]
    [InlineData("$.cowboys[1]", "name", null, "result.cowboys[1].name is missing")]
    [InlineData("$", "winner", null, "result.winner is missing")]
    [InlineData("$", "shootout", null, "result.shootout is missing")]
    [InlineData("$", "events", null, "result.events is missing")]
    [InlineData("$", "rules", "\"parallel\"", "result.rules must be \"sequential\" or \"simultaneous\", got \"parallel\"")]
    public void Read_says_exactly_what_is_missing_and_which_rule_sets_there_are(string at, string property, string? value, string message)
    {
        var json = JsonNode.Parse(Golden("result-winner.json"))!;
        var parent = at == "$" ? json.AsObject() : json[at[2..at.IndexOf('[')]]![int.Parse(at[(at.IndexOf('[') + 1)..^1], CultureInfo.InvariantCulture)]!.AsObject();
        if (value is null) parent.Remove(property);
        else parent[property] = JsonNode.Parse(value);

        Assert.Equal(message, Assert.ThrowsAny<JsonException>(() => ResultJson.Read(json.ToJsonString())).Message);
    }

    [Theory]
    [InlineData("[]", "result")]
    [InlineData("null", "result")]
    [InlineData("""{"beats":"3"}""", "result.beats")]
    [InlineData("""{"seed":1.5}""", "result.seed")]
    [InlineData("""{"seed":9223372036854775808}""", "result.seed")]
    [InlineData("""{"winner":5}""", "result.winner")]
    [InlineData("""{"shots":null}""", "result.shots")]
    [InlineData("""{"cowboys":[7]}""", "result.cowboys[0]")]
    [InlineData("""{"faults":[{"beat":1,"cowboy":"A","leaderHost":"yes"}]}""", "result.faults[0].leaderHost")]
    public void Read_names_the_path_of_a_value_of_the_wrong_kind(string patch, string path)
    {
        var json = JsonNode.Parse(Golden("result-winner.json"))!;
        var replaced = JsonNode.Parse(patch);
        if (replaced is JsonObject patches)
        {
            foreach (var (name, value) in patches.ToList())
            {
                patches.Remove(name);
                json[name] = value;
            }
        }
        else json = replaced;

        Assert.StartsWith(path + " ", Assert.ThrowsAny<JsonException>(() => ResultJson.Read(json?.ToJsonString() ?? "null")).Message);
    }

    [Fact]
    public void A_fault_without_a_kind_reads_as_a_kill()
    {
        var json = JsonNode.Parse(Golden("result-draw.json"))!;
        json["faults"]![1]!.AsObject().Remove("kind");

        Assert.Equal(Fault.Kill, ResultJson.Read(json.ToJsonString()).Faults[1].Kind);
    }

    private static GameResult Result(string name) => JsonSamples.Results.Single(s => s.Name == name).Result;

    private static GameView View(string name) => JsonSamples.Views.Single(s => s.Name == name).View;

    /// <summary>The golden file's bytes as text: strict UTF-8, no BOM, nothing trimmed.</summary>
    private static string Golden(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Actors", "Game", "Results", "Golden", file));
        Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..], $"{file} starts with a byte order mark");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
    }
}
