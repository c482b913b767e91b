using Akka.Actor;

namespace Cowboys.Actors.Node.Ring;

/// <summary>One stop of the ring: the cowboy's roster index and where his actor lives.</summary>
public sealed record RingStop(int Index, IActorRef Cowboy);
