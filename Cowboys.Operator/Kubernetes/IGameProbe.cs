using Cowboys.Actors.Game.Results;
using k8s.Models;

namespace Cowboys.Operator.Kubernetes;

/// <summary>Asks a running cowboy pod for his replica of the game (GET /game), for live status.</summary>
public interface IGameProbe
{
    /// <summary>The pod's view, or null when it cannot be had (not up yet, gone, slow).</summary>
    Task<GameView?> ReadAsync(V1Pod pod, CancellationToken ct);
}
