using k8s;
using k8s.Models;

namespace Cowboys.Operator.Entities;

/// <summary>Phase and condition vocabulary of status.</summary>
public static class ShootoutPhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Finished = "Finished";
    public const string Failed = "Failed";

    public static bool IsTerminal(string? phase) => phase is Finished or Failed;
}
