using Cowboys.Operator.Desired;
using Cowboys.Actors.Game.Results;
using k8s.Models;

namespace Cowboys.Operator.Kubernetes;

/// <summary>
/// Over HTTP to the pod's IP and its port named "http", as a Service would reach it. Only for
/// progress: the result itself comes from the termination messages (decision 0007).
/// </summary>
public sealed class HttpGameProbe(HttpClient http) : IGameProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<GameView?> ReadAsync(V1Pod pod, CancellationToken ct)
    {
        var ip = pod.Status?.PodIP;
        var port = pod.Spec?.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == DesiredObjects.HttpPortName)?.ContainerPort;
        if (ip is null || port is null) return null;
        var host = ip.Contains(':') ? $"[{ip}]" : ip;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            return GameView.TryParse(await http.GetStringAsync($"http://{host}:{port}/game", timeout.Token));
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }
}
