using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cowboys.Actors.Results;

/// <summary>One cowboy's death: shot dead, or forfeited because he was away too long.</summary>
public sealed record Death(string Cowboy, int Beat, string How)
{
    /// <summary>The "deaths" array as the termination message and GET /game both write it.</summary>
    public static void WriteAll(Utf8JsonWriter w, IEnumerable<Death> deaths)
    {
        w.WriteStartArray("deaths");
        foreach (var d in deaths)
        {
            w.WriteStartObject();
            w.WriteString("cowboy", d.Cowboy);
            w.WriteNumber("beat", d.Beat);
            w.WriteString("how", d.How);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static ImmutableArray<Death> ReadAll(JsonElement parent) =>
        parent.GetProperty("deaths").EnumerateArray()
            .Select(d => new Death(d.GetProperty("cowboy").GetString()!, d.GetProperty("beat").GetInt32(), d.GetProperty("how").GetString()!))
            .ToImmutableArray();
}
