using Cowboys.Sandbox;
using Cowboys.Sandbox.Api;
using Cowboys.Sandbox.Workloads;

// dotnet run --project tests/Cowboys.Sandbox -- --kubeconfig PATH [--image IMAGE=PATH ...] [--no-workloads]
const string Usage = "usage: Cowboys.Sandbox --kubeconfig PATH [--image IMAGE=PATH ...] [--no-workloads]";
string? kubeconfig = null;
var images = new List<KeyValuePair<string, string>>();
var workloads = true;
for (var i = 0; i < args.Length; i++)
{
    try
    {
        switch (args[i])
        {
            case "--kubeconfig" when i + 1 < args.Length:
                kubeconfig = args[++i];
                break;
            case "--image" when i + 1 < args.Length:
                images.Add(ImageMap.ParseEntry(args[++i]));
                break;
            case "--no-workloads":
                workloads = false;
                break;
            default:
                Console.Error.WriteLine($"unknown or incomplete option {args[i]}\n{Usage}");
                return 2;
        }
    }
    catch (FormatException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
}
if (kubeconfig is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

await using var server = await ApiServer.StartAsync(WorkloadResources.All);
server.WriteKubeconfig(Path.GetFullPath(kubeconfig));
Console.WriteLine($"sandbox API server at {server.Url}; kubeconfig written to {Path.GetFullPath(kubeconfig)}");
SandboxCluster? cluster = null;
if (workloads)
{
    cluster = SandboxCluster.On(server, new SandboxOptions { Images = ImageMap.Default().With(images), Log = Console.WriteLine });
    foreach (var (image, path) in cluster.Images.Entries) Console.WriteLine($"image {image} runs {path}");
}
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
if (cluster is not null) await cluster.DisposeAsync();
return 0;
