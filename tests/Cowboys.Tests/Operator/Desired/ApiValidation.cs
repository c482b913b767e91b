using Cowboys.Sandbox.Api.Validation;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Cowboys.Tests.Operator.Desired;

/// <summary>
/// Every name and label in an object the operator creates, checked with the rules a real API server
/// applies (the sandbox's <see cref="Names"/>, after k8s.io/apimachinery/pkg/util/validation), including
/// the names the Job controller will derive from them: for any Shootout name and any cowboy names.
/// </summary>
public static partial class ApiValidation
{
    public const int MaxLabel = 63;
    public const int MaxSubdomain = 253;

    /// <summary>A pod created from generateName gets 5 random characters after a base cut to 58 (names.SimpleNameGenerator).</summary>
    public const int MaxGenerateNameBase = MaxLabel - 5;

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex PortNamePattern();

    // the primitive rules are the sandbox API server's (one implementation of the server's behaviour)
    public static bool IsDns1123Label(string? s) => s is not null && Names.Dns1123Label(s).Count == 0;

    /// <summary>Service names: a DNS-1123 label that starts with a letter ("1v1-cowboys" is refused).</summary>
    public static bool IsDns1035Label(string? s) => s is not null && Names.Dns1035Label(s).Count == 0;

    public static bool IsDns1123Subdomain(string? s) => s is not null && Names.Dns1123Subdomain(s).Count == 0;

    public static bool IsLabelValue(string? s) => s is not null && Names.LabelValue(s).Count == 0;

    /// <summary>A label key: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63.</summary>
    public static bool IsLabelKey(string? key) => key is not null && Names.QualifiedName(key).Count == 0;

    /// <summary>IANA_SVC_NAME: at most 15, lowercase alphanumerics and '-', a letter somewhere, no "--".</summary>
    public static bool IsPortName(string? s) =>
        s is { Length: > 0 and <= 15 } && PortNamePattern().IsMatch(s) && s.Any(char.IsAsciiLetter) && !s.Contains("--", StringComparison.Ordinal);

    /// <summary>Every way a real API server would refuse this object's names and labels; empty when it would accept them.</summary>
    public static IReadOnlyList<string> Problems(IKubernetesObject<V1ObjectMeta> obj)
    {
        var problems = new List<string>();
        var what = $"{obj.Kind} \"{obj.Metadata.Name}\"";
        void Check(bool ok, string problem)
        {
            if (!ok) problems.Add($"{what}: {problem}");
        }

        var name = obj.Metadata.Name;
        switch (obj.Kind)
        {
            case "Service":
                Check(IsDns1035Label(name), "a Service name must be a DNS-1035 label");
                break;
            case "Job":
                Check(IsDns1123Subdomain(name), "a Job name must be a DNS-1123 subdomain");
                // the server copies the Job's name into the labels job-name and batch.kubernetes.io/job-name
                Check(IsLabelValue(name), "a Job name must be a valid label value (at most 63 characters)");
                break;
            default:
                Check(IsDns1123Subdomain(name), "the name must be a DNS-1123 subdomain");
                break;
        }
        CheckLabels(obj.Metadata.Labels, "metadata.labels", Check);
        Check(IsDns1123Label(obj.Metadata.NamespaceProperty), "the namespace must be a DNS-1123 label");

        switch (obj)
        {
            case V1Job job:
                CheckPod(job, Check);
                break;
            case V1Role role:
                foreach (var rule in role.Rules)
                {
                    foreach (var n in rule.ResourceNames ?? []) Check(IsDns1123Subdomain(n), $"resourceName \"{n}\" names nothing that can exist");
                }
                break;
            case V1RoleBinding binding:
                Check(IsDns1123Subdomain(binding.RoleRef.Name), "roleRef.name must be a DNS-1123 subdomain");
                foreach (var s in binding.Subjects) Check(IsDns1123Subdomain(s.Name), $"subject \"{s.Name}\" must be a DNS-1123 subdomain");
                break;
        }
        return problems;
    }

    private static void CheckLabels(IDictionary<string, string>? labels, string where, Action<bool, string> check)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            check(IsLabelKey(key), $"{where}: \"{key}\" is not a valid label key");
            check(IsLabelValue(value), $"{where}: \"{key}={value}\" is not a valid label value");
        }
    }

    private static void CheckPod(V1Job job, Action<bool, string> check)
    {
        var template = job.Spec.Template;
        CheckLabels(template.Metadata.Labels, "spec.template.metadata.labels", check);
        // what the Job controller's pods are called: generateName "<job>-", the base cut to 58, plus 5 characters
        var generated = $"{job.Metadata.Name}-"[..Math.Min(job.Metadata.Name.Length + 1, MaxGenerateNameBase)] + "x7k2q";
        check(IsDns1123Subdomain(generated), $"its pods' names (\"{generated}\") must be DNS-1123 subdomains");
        var pod = template.Spec;
        if (pod.Hostname is not null) check(IsDns1123Label(pod.Hostname), "spec.hostname must be a DNS-1123 label");
        if (pod.Subdomain is not null) check(IsDns1123Label(pod.Subdomain), "spec.subdomain must be a DNS-1123 label");
        if (pod.ServiceAccountName is not null) check(IsDns1123Subdomain(pod.ServiceAccountName), "serviceAccountName must be a DNS-1123 subdomain");
        foreach (var volume in pod.Volumes ?? [])
        {
            check(IsDns1123Label(volume.Name), $"volume \"{volume.Name}\" must be named by a DNS-1123 label");
            if (volume.ConfigMap is { } cm) check(IsDns1123Subdomain(cm.Name), $"volume \"{volume.Name}\" refers to ConfigMap \"{cm.Name}\", which cannot exist");
        }
        foreach (var container in pod.Containers)
        {
            check(IsDns1123Label(container.Name), $"container \"{container.Name}\" must be named by a DNS-1123 label");
            foreach (var port in container.Ports ?? []) check(IsPortName(port.Name), $"port name \"{port.Name}\" is not an IANA_SVC_NAME");
        }
    }
}
