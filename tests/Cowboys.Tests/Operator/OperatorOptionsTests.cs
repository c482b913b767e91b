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
}
