using Cowboys.Operator;
using Xunit;

namespace Cowboys.Tests.Manifests;

/// <summary>The rendered install exposes the operator's /metrics port where the operator serves it.</summary>
public sealed class OperatorMetricsManifestTests
{
    [Fact]
    public void The_operator_container_names_its_metrics_port_at_the_port_the_operator_serves_metrics_on()
    {
        var deployment = Kustomize.Render("manifests").Single("Deployment", "cowboys-operator");
        var container = Assert.Single(deployment.Map("spec.template.spec").List("containers"));
        var port = Assert.Single(container.List("ports"), p => p.Str("name") == "metrics");
        Assert.Equal((long)new OperatorOptions().MetricsPort, port.At("containerPort"));
        Assert.NotEqual(new OperatorOptions().HttpPort, new OperatorOptions().MetricsPort);
    }
}
