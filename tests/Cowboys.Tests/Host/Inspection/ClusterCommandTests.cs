using Cowboys.Actors.Node.Hosting;
using Cowboys.Host.Inspection;
using Xunit;

namespace Cowboys.Tests.Host.Inspection;

public sealed class ClusterCommandTests
{
    [Fact]
    public void The_endpoint_defaults_to_the_one_the_pod_declares()
    {
        var declared = ClusterCommand.EndpointFromEnvironment(v => v == CowboyOptions.EndpointVariable ? "http://10.1.2.3:8558" : null);

        Assert.Equal("http://10.1.2.3:8558", declared);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_declared_endpoint_it_is_the_default_http_port_on_loopback(string? value) =>
        Assert.Equal("http://127.0.0.1:8558", ClusterCommand.EndpointFromEnvironment(_ => value));
}
