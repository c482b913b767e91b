using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cowboys.Actors.Game.Results;

/// <summary>
/// The serializer of results, views and deaths, generated at compile time (no reflection when a
/// cowboy starts). Names stay readable (no \uXXXX for non-ASCII) and are still valid JSON.
/// </summary>
[JsonSerializable(typeof(ResultWire))]
[JsonSerializable(typeof(ViewWire))]
[JsonSerializable(typeof(ImmutableArray<Death>))]
internal sealed partial class ResultJsonContext : JsonSerializerContext
{
    /// <summary>One line: GET /game and the termination message.</summary>
    public static ResultJsonContext Compact { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>For people: the result file.</summary>
    public static ResultJsonContext Indented { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true });
}
