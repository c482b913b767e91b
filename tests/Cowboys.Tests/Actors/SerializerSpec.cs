using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Rules;
using Cowboys.Actors.Serialization;
using Xunit;

namespace Cowboys.Tests.Actors;

/// <summary>The wire serializer: every protocol message round-trips, and an oversized one is never dropped silently.</summary>
public sealed class SerializerSpec : TestKit
{
    private CowboysSerializer Serializer => new((ExtendedActorSystem)Sys);

    [Fact]
    public void A_beat_round_trips_with_its_digest_and_position()
    {
        var entry = BeatEntry.Create(42, 3, 7 << 20, [1, 0, 4], [new Shot(3, "Ann", "Bob", 2, 0)], [new GameEvent(3, GameEvent.Forfeit, "Cid")]);
        var accept = new Accept(7 << 20, "fp", 42, entry);

        var back = (Accept)Serializer.FromBinary(Serializer.ToBinary(accept), Serializer.Manifest(accept));

        Assert.Equal(accept with { Entry = null! }, back with { Entry = null! });
        Assert.Equal(entry.Digest, back.Entry.Digest);
        Assert.Equal(entry.Position, back.Entry.Position);
        Assert.Equal(entry.Shots.ToArray(), back.Entry.Shots.ToArray());
    }

    [Fact]
    public void A_message_too_big_for_one_remote_frame_is_reported_as_an_error_naming_it()
    {
        var shots = Enumerable.Range(0, 4000).Select(i => new Shot(1, $"Shooter{i}", "Target", 1, 1)).ToImmutableArray();
        var huge = new Sync(1, "fp", 1, 0, [BeatEntry.Create(0, 1, 1, [1], shots, [])]);

        EventFilter.Error(contains: "Sync").ExpectOne(() => Serializer.ToBinary(huge));
    }
}
