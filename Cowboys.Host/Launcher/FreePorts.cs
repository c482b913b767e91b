using System.Net;
using System.Net.Sockets;

namespace Cowboys.Host.Launcher;

/// <summary>
/// Ports for cowboy processes that are free now and stay free until the processes bind them.
/// They come from below the kernel's ephemeral range: a port from inside it (what binding port 0
/// gives) can be taken by any outgoing connection in the moment before the process binds it.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 10_000;

    /// <summary>Distinct ports free on every interface, holding them all until every one is chosen.</summary>
    public static int[] Take(int count)
    {
        var (ephemeralLow, _) = EphemeralRange();
        var highest = ephemeralLow - 1;
        if (highest - Lowest < count * 4) return FromEphemeralRange(count);

        var listeners = new List<TcpListener>();
        try
        {
            var tries = 0;
            while (listeners.Count < count)
            {
                if (++tries > count * 50) throw new InvalidOperationException($"could not find {count} free ports between {Lowest} and {highest}");
                var port = Random.Shared.Next(Lowest, highest + 1);
                if (listeners.Any(l => ((IPEndPoint)l.LocalEndpoint).Port == port)) continue;
                var listener = new TcpListener(IPAddress.Any, port);
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Dispose();
                }
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>The kernel's range for outgoing connections and port 0 (Linux default 32768-60999).</summary>
    public static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], out var low) && int.TryParse(parts[1], out var high)) return (low, high);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return (32768, 60999);
    }

    private static int[] FromEphemeralRange(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
