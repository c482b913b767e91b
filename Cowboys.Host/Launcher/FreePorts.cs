using System.Net;
using System.Net.Sockets;

namespace Cowboys.Host.Launcher;

public static class FreePorts
{
    /// <summary>Asks the OS for distinct free ports on 127.0.0.1, holding them all until every one is chosen.</summary>
    public static int[] Take(int count)
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
