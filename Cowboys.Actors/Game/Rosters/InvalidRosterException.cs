namespace Cowboys.Actors.Game.Rosters;

/// <summary>The roster cannot be played; the message names the cowboy and the problem.</summary>
public sealed class InvalidRosterException(string message) : Exception(message);
