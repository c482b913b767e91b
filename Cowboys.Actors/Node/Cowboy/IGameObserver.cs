using Cowboys.Actors.Game.Results;

namespace Cowboys.Actors.Node.Cowboy;

/// <summary>What the process hosting a cowboy wants to hear about the game.</summary>
public interface IGameObserver
{
    void Finished(GameResult result);

    void Aborted(string reason);

    /// <summary>
    /// This cowboy's replica learned that a newer beat is committed. Called on the actor's thread:
    /// keep it quick; the view is immutable.
    /// </summary>
    void Committed(GameView view)
    {
    }
}
