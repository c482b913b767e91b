using Xunit;
using Cowboys.Tests.EndToEnd;

namespace Cowboys.Tests.Operator.Runtime;

/// <summary>The operator started where it cannot reach Kubernetes says what to set and exits 1, as controller-runtime's managers do.</summary>
public sealed class OperatorStartTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("cowboys-home-");

    public void Dispose() => _home.Delete(recursive: true);

    [Theory]
    [InlineData(null, "KUBECONFIG is not set")]
    [InlineData("/no/such/kubeconfig", "/no/such/kubeconfig")]
    [InlineData("", "no usable Kubernetes configuration")]
    [InlineData("malformed", "no usable Kubernetes configuration")]
    public async Task Without_a_usable_kubeconfig_the_operator_exits_1_naming_what_to_set(string? kubeconfig, string expected)
    {
        if (kubeconfig == "malformed")
        {
            kubeconfig = Path.Combine(_home.FullName, "malformed");
            await File.WriteAllTextAsync(kubeconfig, "clusters: [");
        }
        using var op = PlayRun.Program("Cowboys.Operator", new Dictionary<string, string?>
        {
            ["HOME"] = _home.FullName,
            ["KUBECONFIG"] = kubeconfig,
            ["KUBERNETES_SERVICE_HOST"] = null,
            ["KUBERNETES_SERVICE_PORT"] = null,
            ["Operator__HttpPort"] = "0",
            ["Operator__MetricsPort"] = "0",
        });

        Assert.Equal(1, await op.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(expected, op.Stderr);
        Assert.Contains("Set KUBECONFIG or write ~/.kube/config", op.Stderr);
        Assert.DoesNotContain("Unhandled exception", op.Stderr);
    }
}
