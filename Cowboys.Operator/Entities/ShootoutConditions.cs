using k8s;
using k8s.Models;

namespace Cowboys.Operator.Entities;

public static class ShootoutConditions
{
    public const string Valid = "Valid";
    public const string Ready = "Ready";
    public const string Finished = "Finished";

    /// <summary>True while the game goes on without a cowboy whose Job failed.</summary>
    public const string Degraded = "Degraded";
}
