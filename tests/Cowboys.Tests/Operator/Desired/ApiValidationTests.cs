using Xunit;

namespace Cowboys.Tests.Operator.Desired;

/// <summary>The rules the name properties rely on must refuse what a real API server refuses.</summary>
public class ApiValidationTests
{
    [Theory]
    [InlineData("1v1-cowboys", false)] // refused by a real server as a Service name
    [InlineData("v1-cowboys", true)]
    [InlineData("Full", false)]
    [InlineData("a-", false)]
    public void Service_names_must_start_with_a_letter(string name, bool valid) => Assert.Equal(valid, ApiValidation.IsDns1035Label(name));

    [Theory]
    [InlineData("1v1-cowboys", true)]
    [InlineData("a.b", false)]
    [InlineData("-a", false)]
    [InlineData("a_b", false)]
    public void Labels_are_lowercase_alphanumerics_and_dashes(string name, bool valid) => Assert.Equal(valid, ApiValidation.IsDns1123Label(name));

    [Theory]
    [InlineData("a.b-c.d", true)]
    [InlineData("a..b", false)]
    [InlineData("a-.b", false)]
    public void Subdomains_are_labels_joined_by_dots(string name, bool valid) => Assert.Equal(valid, ApiValidation.IsDns1123Subdomain(name));

    [Fact]
    public void Lengths_are_63_for_labels_and_label_values_and_253_for_subdomains()
    {
        Assert.True(ApiValidation.IsDns1123Label(new string('a', 63)));
        Assert.False(ApiValidation.IsDns1123Label(new string('a', 64)));
        Assert.True(ApiValidation.IsLabelValue(new string('a', 63)));
        Assert.False(ApiValidation.IsLabelValue(new string('a', 64)));
        Assert.True(ApiValidation.IsDns1123Subdomain(new string('a', 253)));
        Assert.False(ApiValidation.IsDns1123Subdomain(new string('a', 254)));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("Billy_the.Kid-2", true)]
    [InlineData("Billy the Kid", false)]
    [InlineData("José", false)]
    [InlineData("_a", false)]
    public void Label_values_allow_capitals_dots_and_underscores_inside(string value, bool valid) => Assert.Equal(valid, ApiValidation.IsLabelValue(value));

    [Theory]
    [InlineData("example.com/shootout", true)]
    [InlineData("app.kubernetes.io/managed-by", true)]
    [InlineData("Example.com/x", false)]
    [InlineData("a/b/c", false)]
    public void Label_keys_have_an_optional_subdomain_prefix(string key, bool valid) => Assert.Equal(valid, ApiValidation.IsLabelKey(key));

    [Fact]
    public void A_job_named_past_63_characters_is_refused_as_its_pods_job_name_label_would_be()
    {
        var job = new k8s.Models.V1Job
        {
            Kind = "Job",
            Metadata = new() { Name = new string('j', 64), NamespaceProperty = "cowboys" },
            Spec = new() { Template = new() { Metadata = new(), Spec = new() { Containers = [new() { Name = "cowboy" }] } } },
        };
        Assert.Contains(ApiValidation.Problems(job), p => p.Contains("label value", StringComparison.Ordinal));
    }
}
