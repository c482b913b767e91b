using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Event;
using Akka.Serialization;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Node.Ring;

namespace Cowboys.Actors.Node.Serialization;

/// <summary>
/// Serializer for every ICowboysMessage: System.Text.Json with a short manifest per type.
/// Akka's default (Newtonsoft with full type names) is slower on the ring's hot path and
/// would make the wire format depend on CLR type names.
/// </summary>
public sealed class CowboysSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4711;

    private static readonly Dictionary<string, Type> Types = new[]
    {
        typeof(RingToken), typeof(WhoAreYou), typeof(Prepare), typeof(Accept), typeof(Sync), typeof(Fetch), typeof(Decide), typeof(Dismiss),
        typeof(Hello), typeof(Promise), typeof(Ack), typeof(Fetched), typeof(Rejected), typeof(Done),
    }.ToDictionary(t => t.Name);

    private readonly JsonSerializerOptions _options;

    public CowboysSerializer(ExtendedActorSystem system) : base(system)
    {
        _options = new JsonSerializerOptions { Converters = { new ActorRefConverter(system) } };
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o.GetType().Name;

    /// <summary>Akka.Remote's default maximum frame size (akka.remote.dot-netty.tcp.maximum-frame-size), less room for the envelope.</summary>
    public const int MaxPayloadBytes = 120_000;

    public override byte[] ToBinary(object obj)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);
        // remoting drops an oversized message with a log line that is easy to miss: say it loudly, naming it
        if (bytes.Length > MaxPayloadBytes)
        {
            system.Log.Error(Telemetry.LogEvents.MessageTooBig.Template,
                obj.GetType().Name, bytes.Length, MaxPayloadBytes, Describe(obj));
        }
        return bytes;
    }

    private static string Describe(object obj)
    {
        var text = obj.ToString() ?? "";
        return text.Length <= 200 ? text : text[..200] + "...";
    }

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, _options)!
            : throw new System.Runtime.Serialization.SerializationException($"Unknown message manifest '{manifest}'");

    /// <summary>Actor references travel as their full serialized path and are resolved on arrival.</summary>
    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            system.Provider.ResolveActorRef(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
    }
}
