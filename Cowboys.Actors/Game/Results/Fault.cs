namespace Cowboys.Actors.Game.Results;

/// <summary>A process the fault injector killed (SIGKILL) or froze (SIGSTOP, then SIGCONT) after a beat.</summary>
public sealed record Fault(int Beat, string Cowboy, bool LeaderHost, string Kind = Fault.Kill)
{
    public const string Kill = "kill";
    public const string Pause = "pause";
}
