using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Cowboys.Sandbox.Api;

/// <summary>
/// kubectl's imperative commands (`kubectl create namespace cowboys`, the first step of the
/// original's instructions) send protobuf, which a real server accepts. The sandbox decodes the
/// one kind those instructions create, a Namespace, into the JSON the rest of the server handles;
/// any other protobuf body is refused with a 415 that says what to do instead.
/// The wire format: the magic "k8s\0", then a runtime.Unknown {typeMeta = 1 {apiVersion = 1,
/// kind = 2}, raw = 2, contentEncoding = 3, contentType = 4} whose raw bytes are the object
/// (k8s.io/api/core/v1/generated.proto: Namespace {metadata = 1, spec = 2, status = 3};
/// k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto: ObjectMeta {name = 1,
/// generateName = 2, namespace = 3, labels = 11, annotations = 12}).
/// </summary>
public static class ProtobufBodies
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <summary>The body as JSON, or an error that names what the sandbox cannot decode.</summary>
    public static JsonObject ToJson(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Unsupported("a protobuf body without the \"k8s\\0\" prefix");
        }
        string apiVersion = "", kind = "";
        ByteString raw = ByteString.Empty;
        var unknown = new CodedInputStream(body, Magic.Length, body.Length - Magic.Length);
        for (uint tag; (tag = unknown.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    var typeMeta = new CodedInputStream(unknown.ReadBytes().ToByteArray());
                    for (uint t; (t = typeMeta.ReadTag()) != 0;)
                    {
                        switch (WireFormat.GetTagFieldNumber(t))
                        {
                            case 1: apiVersion = typeMeta.ReadString(); break;
                            case 2: kind = typeMeta.ReadString(); break;
                            default: typeMeta.SkipLastField(); break;
                        }
                    }
                    break;
                case 2: raw = unknown.ReadBytes(); break;
                default: unknown.SkipLastField(); break;
            }
        }
        if (apiVersion != "v1" || kind != "Namespace")
        {
            throw Unsupported($"a protobuf {apiVersion}/{kind}");
        }
        var metadata = new JsonObject();
        var ns = new CodedInputStream(raw.ToByteArray());
        for (uint tag; (tag = ns.ReadTag()) != 0;)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                metadata = ObjectMeta(ns.ReadBytes());
            }
            else
            {
                ns.SkipLastField(); // an empty spec and status are all kubectl sends
            }
        }
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    private static JsonObject ObjectMeta(ByteString bytes)
    {
        var meta = new JsonObject();
        var input = new CodedInputStream(bytes.ToByteArray());
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: meta["name"] = input.ReadString(); break;
                case 2: meta["generateName"] = input.ReadString(); break;
                case 3: meta["namespace"] = input.ReadString(); break;
                case 11: AddEntry(meta, "labels", input.ReadBytes()); break;
                case 12: AddEntry(meta, "annotations", input.ReadBytes()); break;
                default: input.SkipLastField(); break;
            }
        }
        return meta;
    }

    private static void AddEntry(JsonObject meta, string map, ByteString entry)
    {
        string key = "", value = "";
        var input = new CodedInputStream(entry.ToByteArray());
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        if (meta[map] is not JsonObject entries)
        {
            meta[map] = entries = [];
        }
        entries[key] = value;
    }

    private static ApiError Unsupported(string what) => new(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
        + "application/json, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json "
        + $"(the sandbox API server decodes protobuf only for a v1 Namespace, not {what}: use kubectl apply -f or kubectl create -f)");
}
