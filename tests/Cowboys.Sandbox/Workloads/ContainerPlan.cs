using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cowboys.Sandbox.Workloads;

/// <summary>A file a volume puts in the pod's directory before the container starts.</summary>
public sealed record VolumeFile(string RelativePath, string Content);

/// <summary>How one container of a pod runs as a local process (see docs/decisions/0013-sandbox-workloads.md).</summary>
/// <param name="Arguments">argv after the executable.</param>
/// <param name="Environment">The whole environment: a container inherits nothing from the node.</param>
/// <param name="Directories">Directories to create, relative to the pod's directory (one per volume, tmp).</param>
/// <param name="Files">Volume files to write, relative to the pod's directory.</param>
/// <param name="TerminationLog">The termination-message file, relative to the pod's directory.</param>
/// <param name="Command">The container's command[0] when set (an executable on this machine), else null: the image's entrypoint.</param>
public sealed record ContainerLaunch(
    string? Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Directories,
    IReadOnlyList<VolumeFile> Files,
    string TerminationLog);

/// <summary>
/// Turns a pod's container into a local process: env with the downward API, ConfigMap
/// references and $(VAR) expansion as the kubelet does them; volumes as directories under the
/// pod's own directory; and, because the process sees the host's file system and network, the
/// container's paths (volume mount paths, /tmp, the termination-message path) and its wildcard
/// bind address 0.0.0.0 rewritten to the pod's directory and the pod's own loopback address.
/// Pure: every lookup comes in as an argument.
/// </summary>
public static partial class ContainerPlan
{
    public const string DefaultTerminationMessagePath = "/dev/termination-log";

    /// <param name="pod">The pod (metadata, spec, status.podIP as it will be).</param>
    /// <param name="container">One of its containers.</param>
    /// <param name="podDirectory">The pod's directory on this machine (absolute).</param>
    /// <param name="configMap">A ConfigMap's data by name, null if it does not exist.</param>
    /// <param name="node">Environment the node provides to every container (PATH, KUBECONFIG...).</param>
    /// <exception cref="InvalidOperationException">A reference that cannot be resolved (a missing ConfigMap or key, a bad fieldPath); the message names it, as the kubelet's CreateContainerConfigError does.</exception>
    public static ContainerLaunch For(JsonObject pod, JsonObject container, string podDirectory, Func<string, JsonObject?> configMap,
        IReadOnlyDictionary<string, string> node)
    {
        var directories = new List<string> { "tmp" };
        var files = new List<VolumeFile>();
        var volumeDirs = new Dictionary<string, string>();
        foreach (var volume in pod["spec"]?["volumes"] as JsonArray ?? [])
        {
            var name = (string)volume!["name"]!;
            var dir = $"volumes/{name}";
            directories.Add(dir);
            volumeDirs[name] = dir;
            if (volume["configMap"] is { } cm)
            {
                var cmName = (string)cm["name"]!;
                var optional = cm["optional"] is JsonValue o && o.TryGetValue<bool>(out var ob) && ob;
                var data = configMap(cmName);
                if (data is null)
                {
                    if (optional) continue;
                    throw new InvalidOperationException($"configmap \"{cmName}\" not found (volume \"{name}\")");
                }
                if (cm["items"] is JsonArray items)
                {
                    foreach (var item in items)
                    {
                        var key = (string)item!["key"]!;
                        var value = (string?)data[key] ?? throw new InvalidOperationException($"configmap \"{cmName}\" has no key \"{key}\" (volume \"{name}\")");
                        files.Add(new VolumeFile($"{dir}/{(string)item["path"]!}", value));
                    }
                }
                else
                {
                    files.AddRange(data.Select(kv => new VolumeFile($"{dir}/{kv.Key}", (string?)kv.Value ?? "")));
                }
            }
        }

        // container path -> path on this machine, longest first so /etc/a/b wins over /etc/a
        var paths = new List<(string From, string To)>();
        foreach (var mount in container["volumeMounts"] as JsonArray ?? [])
        {
            var volume = (string)mount!["name"]!;
            if (!volumeDirs.TryGetValue(volume, out var dir)) throw new InvalidOperationException($"volumeMount \"{volume}\" names no volume of the pod");
            var sub = (string?)mount["subPath"];
            paths.Add(((string)mount["mountPath"]!, Path.Combine(podDirectory, dir, sub ?? "")));
        }
        var terminationPath = (string?)container["terminationMessagePath"] ?? DefaultTerminationMessagePath;
        const string terminationLog = "termination-log";
        paths.Add((terminationPath, Path.Combine(podDirectory, terminationLog)));
        if (!paths.Any(p => p.From == "/tmp")) paths.Add(("/tmp", Path.Combine(podDirectory, "tmp")));
        paths.Sort((a, b) => b.From.Length.CompareTo(a.From.Length));
        var podIp = (string?)pod["status"]?["podIP"] ?? "";

        var env = new Dictionary<string, string>(node);
        env["HOSTNAME"] = (string?)pod["spec"]?["hostname"] ?? Pods.Name(pod);
        env["TMPDIR"] = paths.First(p => p.From == "/tmp").To;
        // the written text is mapped, then expanded: values that come from variables are never mapped twice
        string Prepare(JsonNode? text) => VarExpansion.Expand(MapPaths(MapBindAddress((string?)text ?? "", podIp), paths), env);
        foreach (var source in container["envFrom"] as JsonArray ?? [])
        {
            if (source!["configMapRef"] is not { } cmRef) continue;
            var cmName = (string)cmRef["name"]!;
            var data = configMap(cmName);
            if (data is null)
            {
                if (cmRef["optional"] is JsonValue o && o.TryGetValue<bool>(out var ob) && ob) continue;
                throw new InvalidOperationException($"configmap \"{cmName}\" not found (envFrom)");
            }
            var prefix = (string?)source["prefix"] ?? "";
            foreach (var (key, value) in data) env[prefix + key] = (string?)value ?? "";
        }
        foreach (var e in container["env"] as JsonArray ?? [])
        {
            var name = (string)e!["name"]!;
            string? value;
            if (e["valueFrom"] is { } from)
            {
                value = from["fieldRef"] is { } fieldRef ? Field(pod, (string)fieldRef["fieldPath"]!)
                    : from["configMapKeyRef"] is { } keyRef ? ConfigMapKey(configMap, keyRef, name)
                    : throw new InvalidOperationException($"env \"{name}\": only fieldRef and configMapKeyRef are supported in the sandbox");
                if (value is null) continue;
            }
            else
            {
                // a value may refer to variables defined before it, as in Kubernetes
                value = Prepare(e["value"]);
            }
            env[name] = value;
        }

        var command = container["command"] as JsonArray;
        var args = (command?.Skip(1) ?? []).Concat(container["args"] as JsonArray ?? []).Select(Prepare).ToList();
        return new ContainerLaunch(command is { Count: > 0 } ? Prepare(command[0]) : null, args, env, directories, files, terminationLog);
    }

    /// <summary>A downward API fieldPath, as the kubelet resolves it.</summary>
    public static string Field(JsonObject pod, string fieldPath)
    {
        var meta = pod["metadata"];
        var match = LabelOrAnnotation().Match(fieldPath);
        if (match.Success)
        {
            return (string?)meta?[match.Groups[1].Value]?[match.Groups[2].Value] ?? "";
        }
        return fieldPath switch
        {
            "metadata.name" => Pods.Name(pod),
            "metadata.namespace" => Pods.Namespace(pod),
            "metadata.uid" => (string?)meta?["uid"] ?? "",
            "spec.nodeName" => (string?)pod["spec"]?["nodeName"] ?? "",
            "spec.serviceAccountName" => (string?)pod["spec"]?["serviceAccountName"] ?? "default",
            "status.podIP" => (string?)pod["status"]?["podIP"] ?? "",
            "status.hostIP" => (string?)pod["status"]?["hostIP"] ?? "",
            "status.podIPs" => string.Join(',', (pod["status"]?["podIPs"] as JsonArray ?? []).Select(p => (string?)p?["ip"])),
            _ => throw new InvalidOperationException($"unsupported fieldPath \"{fieldPath}\""),
        };
    }

    private static string? ConfigMapKey(Func<string, JsonObject?> configMap, JsonNode keyRef, string env)
    {
        var cmName = (string)keyRef["name"]!;
        var key = (string)keyRef["key"]!;
        var optional = keyRef["optional"] is JsonValue o && o.TryGetValue<bool>(out var ob) && ob;
        var value = (string?)configMap(cmName)?[key];
        if (value is null && !optional) throw new InvalidOperationException($"env \"{env}\": configmap \"{cmName}\" key \"{key}\" not found");
        return value;
    }

    /// <summary>0.0.0.0 in a pod means every address of the pod's network namespace: here, its one loopback address.</summary>
    public static string MapBindAddress(string value, string podIp) =>
        podIp.Length == 0 ? value : WildcardAddress().Replace(value, podIp);

    /// <summary>A container path (a whole path or its prefix before '/') becomes the pod's directory for it.</summary>
    public static string MapPaths(string value, IEnumerable<(string From, string To)> paths)
    {
        // one pass, longest path first: a replaced path is never replaced again
        var ordered = paths.Select(p => (From: p.From.TrimEnd('/'), p.To)).Where(p => p.From.Length > 0).OrderByDescending(p => p.From.Length).ToList();
        if (ordered.Count == 0) return value;
        var pattern = $@"(?<![\w./-])(?:{string.Join('|', ordered.Select(p => Regex.Escape(p.From)))})(?=/|$|[^\w.-])";
        return Regex.Replace(value, pattern, m => ordered.First(p => p.From == m.Value).To);
    }

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['([^']+)'\]$")]
    private static partial Regex LabelOrAnnotation();

    [GeneratedRegex(@"(?<![\d.])0\.0\.0\.0(?![\d.])")]
    private static partial Regex WildcardAddress();
}
