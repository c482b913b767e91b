using Cowboys.Actors.Ring;
using Cowboys.Actors.Rules;

namespace Cowboys.Actors.Leader;

/// <summary>A cowboy's answer to WhoAreYou: his name, what he plays, and his replica of the game.</summary>
public sealed record Hello(string Name, string Fingerprint, long HighestEpoch, GameSnapshot Snapshot, GameResult? Result) : ICowboysMessage;

public sealed record CommitAck(long Epoch, int Beat, string Name) : ICowboysMessage;

public sealed record GameOverAck(long Epoch, string Name) : ICowboysMessage;
