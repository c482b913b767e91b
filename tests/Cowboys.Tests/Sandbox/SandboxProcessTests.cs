using System.Diagnostics;
using k8s;
using k8s.Models;
using Xunit;
using Cowboys.Tests.EndToEnd;

namespace Cowboys.Tests.Sandbox;

/// <summary>The sandbox as users start it: `Cowboys.Sandbox --kubeconfig PATH`, driven through its kubeconfig.</summary>
public sealed class SandboxProcessTests
{
    [Fact]
    public async Task The_sandbox_runs_a_job_of_the_built_host_and_its_pods_processes_die_when_the_sandbox_is_killed()
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-process-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        using var sandbox = PlayRun.Program("Cowboys.Sandbox", new Dictionary<string, string?>(), "--kubeconfig", kubeconfig);
        await sandbox.WaitForOutputAsync("image cowboys:dev runs", TimeSpan.FromSeconds(30));
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        // the image's executable with a command of this machine's: the pod runs /bin/sleep
        await client.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "sleeper" },
            Spec = new V1JobSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        Containers = [new V1Container { Name = "main", Image = "cowboys:dev", Command = ["/bin/sleep"], Args = ["300"] }],
                    },
                },
            },
        }, "default");
        const string PidAnnotation = "sandbox.cowboys.example.com/pid";
        var pod = await Eventually.Until(async () => (await client.ListNamespacedPodAsync("default", labelSelector: "job-name=sleeper")).Items.FirstOrDefault(),
            p => p?.Metadata.Annotations?.ContainsKey(PidAnnotation) == true, TimeSpan.FromSeconds(30), "a running pod of sleeper",
            p => $"{(p is null ? "no pod" : $"pod {p.Metadata.Name} {p.Status?.Phase}")}\n{sandbox.Stdout}{sandbox.Stderr}", () => sandbox.HasExited);
        var pid = int.Parse(pod!.Metadata.Annotations[PidAnnotation], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));

        // SIGKILL of the sandbox alone (not its process tree): nothing of it runs any more to stop the pod
        using (var process = Process.GetProcessById(sandbox.Pid)) process.Kill();
        await Eventually.Until(() => StateOf(pid), state => state is null or "Z", TimeSpan.FromSeconds(20), $"pod process {pid} to die with the sandbox",
            state => $"process state {state}");
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task The_kubeconfig_exists_only_while_the_sandbox_serves_whatever_an_earlier_one_left()
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-kubeconfig-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, "left by a sandbox that was killed");
        using var sandbox = PlayRun.Program("Cowboys.Sandbox", new Dictionary<string, string?>(), "--kubeconfig", kubeconfig);
        await sandbox.WaitForOutputAsync("kubeconfig written to", TimeSpan.FromSeconds(30));

        using (var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)))
        {
            Assert.NotEmpty((await client.ListNamespaceAsync()).Items);
        }

        Cowboys.Host.Launcher.Posix.Kill(sandbox.Pid, 15);
        Assert.Equal(0, await sandbox.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(kubeconfig), "the kubeconfig outlived its server");
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>The process's state (R, S, Z...) as /proc shows it, or null once it is gone.</summary>
    private static string? StateOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].TrimStart()[..1];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
