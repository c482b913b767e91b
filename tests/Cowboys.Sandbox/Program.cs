using Cowboys.Sandbox.Api;

// dotnet run --project tests/Cowboys.Sandbox -- --kubeconfig PATH
var kubeconfig = ArgValue(args, "--kubeconfig");
if (kubeconfig is null)
{
    Console.Error.WriteLine("usage: Cowboys.Sandbox --kubeconfig PATH");
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

await using var server = await ApiServer.StartAsync();
server.WriteKubeconfig(Path.GetFullPath(kubeconfig));
Console.WriteLine($"sandbox API server at {server.Url}; kubeconfig written to {Path.GetFullPath(kubeconfig)}");
try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
return 0;

static string? ArgValue(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
