using System.Globalization;
using System.Runtime.InteropServices;
using Cowboys.Sandbox;
using Cowboys.Sandbox.Api;
using Cowboys.Sandbox.Workloads;

// The sandbox: a stand-in Kubernetes cluster for the real kubectl (see README.md).
const string Usage = """
    usage: Cowboys.Sandbox --kubeconfig PATH [--port N] [--image IMAGE=PATH ...] [--no-workloads]

    Starts a stand-in Kubernetes API server on 127.0.0.1 (plain HTTP) with a Job, ReplicaSet and
    Deployment controller and a kubelet that runs each pod as a local process, writes a kubeconfig
    for it to PATH once it answers, and runs until SIGINT or SIGTERM, when every pod's process ends.

      --kubeconfig PATH    where to write the kubeconfig (context "fake", namespace "default")
      --port N             the port to listen on (default: a free one)
      --image IMAGE=PATH   run pods of IMAGE as the executable PATH (default: cowboys:dev and
                           cowboys-operator:dev are the repository's built Cowboys.Host and
                           Cowboys.Operator)
      --no-workloads       the API server only: no controllers, no kubelet
      --help               this text
    """;

string? kubeconfig = null;
var port = 0;
var images = new List<KeyValuePair<string, string>>();
var workloads = true;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        case "--kubeconfig" when i + 1 < args.Length:
            kubeconfig = args[++i];
            break;
        case "--port" when i + 1 < args.Length:
            if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return Fail($"--port must be a number from 1 to 65535, got '{args[i]}'");
            }
            break;
        case "--image" when i + 1 < args.Length:
            try
            {
                images.Add(ImageMap.ParseEntry(args[++i]));
            }
            catch (FormatException e)
            {
                return Fail(e.Message);
            }
            break;
        case "--no-workloads":
            workloads = false;
            break;
        case "--kubeconfig" or "--port" or "--image":
            return Fail($"{args[i]} needs a value");
        default:
            return Fail($"unknown argument '{args[i]}'");
    }
}
if (kubeconfig is null)
{
    return Fail("--kubeconfig PATH is required");
}
var kubeconfigPath = Path.GetFullPath(kubeconfig);
if (Path.GetDirectoryName(kubeconfigPath) is { } dir && !Directory.Exists(dir))
{
    return Fail($"the directory of --kubeconfig does not exist: {dir}");
}
// a kubeconfig left by an earlier sandbox points at a server that is gone: nobody must use it while this one starts
File.Delete(kubeconfigPath);

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext c)
{
    c.Cancel = true; // shut down cleanly below instead of being killed
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

await using var server = await ApiServer.StartAsync(ResourceTable.BuiltIn, requireNamespaces: true, port: port);
SandboxCluster? cluster = null;
if (workloads)
{
    cluster = SandboxCluster.On(server, new SandboxOptions { Images = ImageMap.Default().With(images), Log = Console.WriteLine });
    foreach (var (image, path) in cluster.Images.Entries)
    {
        Console.WriteLine($"image {image} runs {path}");
    }
}
// kubectl may start as soon as the file exists: write it whole, then rename it into place
var temporary = kubeconfigPath + ".tmp";
server.WriteKubeconfig(temporary);
File.Move(temporary, kubeconfigPath, overwrite: true);
Console.WriteLine($"sandbox API server at {server.Url}; kubeconfig written to {kubeconfigPath}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // SIGINT or SIGTERM
}
Console.WriteLine("sandbox API server stopping");
File.Delete(kubeconfigPath);
if (cluster is not null)
{
    await cluster.DisposeAsync(); // ends every pod's process
}
return 0;

static int Fail(string message)
{
    Console.Error.WriteLine($"Cowboys.Sandbox: {message}");
    Console.Error.WriteLine("run with --help for usage");
    return 2;
}
