using Cowboys.Operator.Desired;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace Cowboys.Tests.Operator.Desired;

public class NamesProperties
{
    [Property(MaxTest = 1000)]
    public void Every_name_becomes_a_valid_DNS_1123_label(NonNull<string> raw)
    {
        var label = Names.Dns1123Label(raw.Get);
        Assert.True(Names.IsDns1123Label(label), $"\"{label}\" from \"{raw.Get}\" is not a DNS-1123 label");
    }

    [Property(MaxTest = 1000)]
    public void Different_names_never_share_a_label(NonNull<string> a, NonNull<string> b)
    {
        if (a.Get == b.Get) return;
        Assert.NotEqual(Names.Dns1123Label(a.Get), Names.Dns1123Label(b.Get));
    }

    [Theory]
    [InlineData("full-john")]
    [InlineData("a")]
    [InlineData("x0-9")]
    public void A_name_that_is_already_a_label_is_kept_as_it_is(string name) =>
        Assert.Equal(name, Names.Dns1123Label(name));

    [Theory]
    [InlineData("full-John", "full-john-")]
    [InlineData("full-Billy the Kid", "full-billy-the-kid-")]
    [InlineData("full-José", "full-jos-")]
    [InlineData("-edge-", "edge-")]
    public void A_changed_name_is_made_safe_and_gets_a_short_hash(string raw, string prefix)
    {
        var label = Names.Dns1123Label(raw);
        Assert.StartsWith(prefix, label);
        Assert.Equal(prefix.Length + Names.HashLength, label.Length);
    }

    [Fact]
    public void John_and_john_get_different_jobs()
    {
        Assert.NotEqual(Names.CowboyJob("full", "John"), Names.CowboyJob("full", "john"));
        Assert.Equal("full-john", Names.CowboyJob("full", "john"));
    }

    [Fact]
    public void A_long_name_is_cut_to_63_characters_with_its_hash()
    {
        var shootout = new string('s', 200);
        var label = Names.CowboyJob(shootout, "Philip");
        Assert.Equal(63, label.Length);
        Assert.True(Names.IsDns1123Label(label));
        Assert.NotEqual(label, Names.CowboyJob(shootout, "Peter"));
    }
}
