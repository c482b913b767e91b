using System.Diagnostics;
using Cowboys.Tests.EndToEnd;
using k8s;
using k8s.Models;
using Xunit;

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
        var pid = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (pid == 0)
        {
            var pod = (await client.ListNamespacedPodAsync("default", labelSelector: "job-name=sleeper")).Items.FirstOrDefault();
            if (pod?.Metadata.Annotations?.TryGetValue("sandbox.cowboys.example.com/pid", out var text) == true) pid = int.Parse(text);
            else if (DateTime.UtcNow > deadline) throw new TimeoutException($"no running pod of sleeper: {sandbox.Stdout}{sandbox.Stderr}");
            else await Task.Delay(100);
        }
        Assert.Contains("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));

        // SIGKILL of the sandbox alone (not its process tree): nothing of it runs any more to stop the pod
        using (var process = Process.GetProcessById(sandbox.Pid)) process.Kill();
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"pod process {pid} outlived the sandbox");
            await Task.Delay(100);
        }
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

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
