using Cowboys.Operator;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Cowboys.Tests.Operator;

public class OperatorOptionsTests
{
    [Fact]
    public void The_deployments_environment_variables_reach_the_typed_options()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // what Operator__X environment variables become
            ["Operator:CowboyImage"] = "registry.example/cowboys:1.2",
            ["Operator:Namespaces:0"] = "cowboys",
            ["Operator:Namespaces:1"] = "saloon",
            ["Operator:Identity"] = "cowboys-operator-7d9f-abcde",
            ["Operator:LeaseNamespace"] = "cowboys-system",
            ["Operator:GameDeadline"] = "00:30:00",
            ["Operator:LeaseDuration"] = "00:00:03",
            ["Operator:CowboyBackoffLimit"] = "5",
        }).Build();

        var options = OperatorOptions.From(configuration);

        Assert.Equal("registry.example/cowboys:1.2", options.CowboyImage);
        Assert.Equal(["cowboys", "saloon"], options.Namespaces);
        Assert.Equal(("cowboys-operator-7d9f-abcde", "cowboys-system"), (options.Identity, options.LeaseNamespace));
        Assert.Equal((TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(3), 5), (options.GameDeadline, options.LeaseDuration, options.CowboyBackoffLimit));
    }

    [Fact]
    public void Without_settings_the_operator_watches_every_namespace_with_the_dev_image()
    {
        var options = OperatorOptions.From(new ConfigurationBuilder().Build());
        Assert.Empty(options.Namespaces);
        Assert.Equal("cowboys:dev", options.CowboyImage);
        Assert.Equal(TimeSpan.FromHours(1), options.GameDeadline);
    }

    [Theory]
    [InlineData(null, "0.0.0.0")]
    [InlineData("127.0.0.7", "127.0.0.7")]
    [InlineData("::", "::")]
    public void The_listeners_bind_all_interfaces_unless_the_bind_address_says_otherwise(string? setting, string expected)
    {
        var options = OperatorOptions.From(new ConfigurationBuilder().AddInMemoryCollection(
            setting is null ? [] : new Dictionary<string, string?> { ["Operator:BindAddress"] = setting }).Build());
        Assert.Equal(System.Net.IPAddress.Parse(expected), options.ListenAddress());
    }

    [Fact]
    public void A_bind_address_that_is_not_an_ip_address_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new OperatorOptions { BindAddress = "localhost:8080" }.ListenAddress());
        Assert.Equal("Operator__BindAddress must be an IP address (e.g. 0.0.0.0), got 'localhost:8080'", e.Message);
    }
}
