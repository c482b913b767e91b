using Cowboys.Actors.Ring;
using Cowboys.Actors.Rules;

namespace Cowboys.Actors.Cowboy;

/// <summary>The leader asks each member's cowboy who he is and what he knows of the game.</summary>
public sealed record WhoAreYou : ICowboysMessage
{
    public static readonly WhoAreYou Instance = new();
}

/// <summary>
/// A committed beat: every cowboy keeps the newest state as a replica for a future leader. Usually
/// only what the beat changed travels (Delta); a cowboy who missed a beat gets the whole Snapshot.
/// </summary>
public sealed record Commit(long Epoch, GameSnapshot? Snapshot, BeatDelta? Delta = null) : ICowboysMessage
{
    public int Beat => Snapshot?.Beat ?? Delta!.Beat;
}

/// <summary>The game ended with a result that every process reports.</summary>
public sealed record GameOver(long Epoch, GameResult Result) : ICowboysMessage;

/// <summary>The game cannot be played (the processes disagree on what to play); nobody shoots.</summary>
public sealed record GameAborted(long Epoch, string Reason) : ICowboysMessage;

/// <summary>What the process hosting a cowboy wants to hear about the end of the game.</summary>
public interface IGameObserver
{
    void Finished(GameResult result);

    void Aborted(string reason);

    /// <summary>
    /// This cowboy's replica now holds a newer committed beat. Called on the actor's thread: keep
    /// it quick, and hand the (immutable) snapshot to other threads safely.
    /// </summary>
    void Committed(GameSnapshot snapshot)
    {
    }
}
