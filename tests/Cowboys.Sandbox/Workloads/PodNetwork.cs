using System.Net;
using System.Net.Sockets;

namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// Gives each pod its own loopback address (every 127.0.0.0/8 address reaches this machine on
/// Linux, with no setup), so every pod can listen on the ports its manifest names. An address
/// where one of the pod's ports is already taken (by anything on the machine) is skipped.
/// </summary>
public sealed class PodNetwork(IPAddress first)
{
    private readonly object _gate = new();
    private readonly HashSet<uint> _used = [];
    private uint _next = ToNumber(first);

    /// <summary>127.R.S.2 with R and S random: sandboxes started side by side (tests) do not share addresses.</summary>
    public static IPAddress RandomBlock() => new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), 2]);

    public IPAddress Allocate(IReadOnlyCollection<int> ports)
    {
        lock (_gate)
        {
            for (var tries = 0; tries < 1000; tries++)
            {
                var n = _next++;
                if ((n & 0xff) is 0 or 255 || (n >> 24) != 127) continue;
                if (_used.Contains(n)) continue;
                var address = FromNumber(n);
                if (!ports.All(p => CanBind(address, p))) continue;
                _used.Add(n);
                return address;
            }
        }
        throw new InvalidOperationException("no free loopback address for a pod");
    }

    public void Release(IPAddress address)
    {
        lock (_gate) _used.Remove(ToNumber(address));
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static uint ToNumber(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static IPAddress FromNumber(uint n) => new([(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
}
