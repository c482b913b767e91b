using Cowboys.Host.Launcher;

namespace Cowboys.Tests;

/// <summary>
/// Free TCP ports, never the same one twice in this test process: a port handed out but not yet
/// bound (a process still starting) looks free to the OS, and two members on one port break a
/// test in ways that look like a product bug.
/// </summary>
public static class TestPorts
{
    private static readonly HashSet<int> Given = [];
    private static readonly Lock Gate = new();

    public static int[] Take(int count)
    {
        lock (Gate)
        {
            while (true)
            {
                var ports = FreePorts.Take(count);
                if (ports.Any(Given.Contains)) continue;
                Given.UnionWith(ports);
                return ports;
            }
        }
    }
}
