using System.Net;
using System.Net.Sockets;
using Cowboys.Host.Launcher;
using Xunit;

namespace Cowboys.Tests.Host.Launcher;

public class FreePortsTests
{
    [Fact]
    public void Ports_are_distinct_bindable_and_outside_the_range_outgoing_connections_use()
    {
        var (low, high) = FreePorts.EphemeralRange();
        var ports = FreePorts.Take(40);
        Assert.Equal(40, ports.Distinct().Count());
        Assert.All(ports, p => Assert.False(p >= low && p <= high, $"port {p} is in the ephemeral range {low}-{high}"));
        var listeners = ports.Select(p => new TcpListener(IPAddress.Any, p)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    [Fact]
    public void A_port_in_use_is_never_handed_out()
    {
        var (low, _) = FreePorts.EphemeralRange();
        // occupy most of the range below the ephemeral one would be slow; occupy what one call returns and ask again many times
        var taken = FreePorts.Take(20).Select(p => new TcpListener(IPAddress.Any, p)).ToList();
        try
        {
            taken.ForEach(l => l.Start());
            var busy = taken.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToHashSet();
            for (var i = 0; i < 50; i++) Assert.DoesNotContain(FreePorts.Take(20), busy.Contains);
        }
        finally
        {
            taken.ForEach(l => l.Stop());
        }
        Assert.True(low > 10_000);
    }
}
