using System.CommandLine;
using Cowboys.Host.Cowboy;
using Cowboys.Host.Inspection;
using Cowboys.Host.Launcher;

// Three commands, one executable: `play` launches a whole shootout on this machine, `cowboy` is
// one cowboy's process (what `play` starts for each cowboy, and what each pod runs), `cluster`
// inspects a running cluster through a cowboy's HTTP endpoint.

var root = new RootCommand("Cowboys: a shootout between processes in one Akka.NET cluster")
{
    PlayCommandLine.Create(), CowboyCommand.Create(), ClusterCommand.Create(Console.Out, Console.Error),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && args is ["cluster", ..])
{
    // the cluster client's bad arguments exit 2, as play's bad roster does
    foreach (var e in parsed.Errors) await Console.Error.WriteLineAsync($"error: {e.Message}");
    return ClusterCommand.BadArguments;
}
// our commands handle SIGINT/SIGTERM themselves: play stops its children, a cowboy leaves the cluster
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
