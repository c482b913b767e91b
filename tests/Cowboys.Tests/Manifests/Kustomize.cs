using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cowboys.Tests.Manifests;

/// <summary>
/// Renders the repository's kustomizations with the real <c>kubectl kustomize</c> (offline) and
/// reads YAML into plain values: <see cref="Dictionary{TKey,TValue}"/> for mappings,
/// <see cref="List{T}"/> for sequences, and string, long, BigInteger (beyond long), double, bool or
/// null for scalars, typed as the API server's YAML decoder would type them.
/// </summary>
internal static partial class Kustomize
{
    public static string ManifestsDir => Path.Combine(Repository.Root, "manifests");

    /// <summary>Every object <c>kubectl kustomize</c> renders from the directory (relative to the repository root).</summary>
    public static IReadOnlyList<Dictionary<string, object?>> Render(string relativeDir)
    {
        var dir = Path.Combine(Repository.Root, relativeDir);
        return Documents(Kubectl("kustomize", dir));
    }

    private static string Kubectl(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"kubectl was not found on PATH ({e.Message}). The manifest tests render manifests/ with `kubectl kustomize`, which works offline: install kubectl (1.32 or later) to run them.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60 s");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"kubectl {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result.Trim()}");
            }
            return stdout.Result;
        }
    }

    /// <summary>The mappings of a (multi-document) YAML text.</summary>
    public static List<Dictionary<string, object?>> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Select(d => ToValue(d.RootNode) as Dictionary<string, object?>
                ?? throw new InvalidDataException("a YAML document is not a mapping"))
            .ToList();
    }

    public static Dictionary<string, object?> ReadFile(string path)
    {
        var documents = Documents(File.ReadAllText(path));
        return Assert.Single(documents);
    }

    private static object? ToValue(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            e => ((YamlScalarNode)e.Key).Value ?? "",
            e => ToValue(e.Value)),
        YamlSequenceNode seq => seq.Children.Select(ToValue).ToList(),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType}"),
    };

    private static object? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain) return text;
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        // sigs.k8s.io/yaml reads YAML 1.1 booleans, yes/no/on/off included.
        if (BoolPattern().IsMatch(text)) return text.ToLowerInvariant() is "true" or "yes" or "y" or "on";
        if (IntegerPattern().IsMatch(text))
        {
            var big = BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
        }
        if (FloatPattern().IsMatch(text)) return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return text;
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex BoolPattern();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}

/// <summary>Navigation in the plain values <see cref="Kustomize"/> reads.</summary>
internal static class Yaml
{
    /// <summary>The value at a dotted path (<c>spec.template.spec</c>; "" is the value itself), or null when any step is missing.</summary>
    public static object? At(this object? value, string path)
    {
        if (path.Length == 0) return value;
        foreach (var step in path.Split('.'))
        {
            if (value is not Dictionary<string, object?> map || !map.TryGetValue(step, out value)) return null;
        }
        return value;
    }

    public static Dictionary<string, object?> Map(this object? value, string path) =>
        value.At(path) as Dictionary<string, object?> ?? throw new Xunit.Sdk.XunitException($"{path} is missing or not a mapping");

    public static List<object?> List(this object? value, string path) =>
        value.At(path) as List<object?> ?? throw new Xunit.Sdk.XunitException($"{path} is missing or not a list");

    public static string? Str(this object? value, string path) => value.At(path) as string;

    public static IEnumerable<string> Strings(this object? value, string path) =>
        (value.At(path) as List<object?> ?? []).Select(v => v?.ToString() ?? "");

    public static string Kind(this Dictionary<string, object?> obj) => obj.Str("kind") ?? "";

    public static string Name(this Dictionary<string, object?> obj) => obj.Str("metadata.name") ?? "";

    public static Dictionary<string, object?> Single(this IEnumerable<Dictionary<string, object?>> objects, string kind, string name) =>
        Assert.Single(objects, o => o.Kind() == kind && o.Name() == name);
}
