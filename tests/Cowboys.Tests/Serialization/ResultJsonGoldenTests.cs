using System.Text;
using Cowboys.Actors.Results;
using Xunit;

namespace Cowboys.Tests.Serialization;

/// <summary>
/// The JSON of a result (play --result, the checks) and of a view (GET /game, the operator, play's
/// live view), pinned byte for byte: the files under Serialization/Golden were written by the
/// hand-written writers, so that whatever writes them next writes exactly the same text.
/// </summary>
public sealed class ResultJsonGoldenTests
{
    public static TheoryData<string> ResultNames => [.. JsonSamples.Results.Select(s => s.Name)];

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

    private static GameResult Result(string name) => JsonSamples.Results.Single(s => s.Name == name).Result;

    private static GameView View(string name) => JsonSamples.Views.Single(s => s.Name == name).View;

    /// <summary>The golden file's bytes as text: strict UTF-8, no BOM, nothing trimmed.</summary>
    private static string Golden(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Serialization", "Golden", file));
        Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..], $"{file} starts with a byte order mark");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
    }
}
