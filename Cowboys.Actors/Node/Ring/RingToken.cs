using System.Collections.Immutable;
using Akka.Actor;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Protocol;

namespace Cowboys.Actors.Node.Ring;

/// <summary>
/// The ring token: it carries the authoritative state of the beat in progress from cowboy to
/// cowboy and back to the leader that sent it. (Epoch, Beat, Attempt) identifies it, so a token
/// from a superseded leader or an abandoned attempt is recognised and dropped.
/// </summary>
public sealed record RingToken(
    long Epoch,
    int Attempt,
    int Hop,
    ImmutableArray<RingStop> Route,
    BeatState State,
    IActorRef Leader) : ICowboysMessage
{
    public RingStop? CurrentStop => Hop < Route.Length ? Route[Hop] : null;

    /// <summary>Where the token goes after this hop: the next cowboy, or home to the leader.</summary>
    public IActorRef NextRecipient => Hop + 1 < Route.Length ? Route[Hop + 1].Cowboy : Leader;

    public RingToken Advance(BeatState state) => this with { Hop = Hop + 1, State = state };
}
