using Cowboys.Actors.Game.Results;
using FsCheck.Xunit;
using Xunit;

namespace Cowboys.Tests.Actors.Game.Results;

/// <summary>Whatever a result or a view holds, its JSON reads back as the same value, and writing that again gives the same text.</summary>
public sealed class ResultJsonProperties
{
    [Property(Arbitrary = [typeof(JsonArbitraries)], MaxTest = 300)]
    public void Any_result_survives_write_then_read(GameResult result)
    {
        var json = ResultJson.Write(result);

        var back = ResultJson.Read(json);

        JsonRoundTrip.AssertSame(result, back);
        Assert.Equal(json, ResultJson.Write(back));
    }

    [Property(Arbitrary = [typeof(JsonArbitraries)], MaxTest = 300)]
    public void Any_view_survives_to_json_then_try_parse(GameView view)
    {
        var json = view.ToJson();

        var back = GameView.TryParse(json);

        JsonRoundTrip.AssertSame(view, back);
        Assert.Equal(json, back!.ToJson());
    }
}
