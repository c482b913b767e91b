using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Node.Serialization;
using Xunit;

namespace Cowboys.Tests.Actors.Node.Serialization;

/// <summary>The wire serializer: every protocol message round-trips, and an oversized one is never dropped silently.</summary>
public sealed class SerializerSpec : TestKit
{
    private CowboysSerializer Serializer => new((ExtendedActorSystem)Sys);

    [Fact]
    public void A_beat_round_trips_with_its_digest_and_position()
    {
        var entry = BeatEntry.Create(42, 3, 7 << 20, [1, 0, 4], [new Shot(3, "Ann", "Bob", 2, 0)], [new GameEvent(3, GameEvent.Forfeit, "Cid")]);
        var accept = new Accept(7 << 20, "fp", 42, entry, "Ann");

        var back = (Accept)Serializer.FromBinary(Serializer.ToBinary(accept), Serializer.Manifest(accept));

        Assert.Equal(accept with { Entry = null! }, back with { Entry = null! });
        Assert.Equal(entry.Digest, back.Entry.Digest);
        Assert.Equal(entry.Position, back.Entry.Position);
        Assert.Equal(entry.Shots.ToArray(), back.Entry.Shots.ToArray());
        Assert.Equal("Ann", back.LeaderHost);
    }

    [Fact]
    public void A_catch_up_names_the_leaders_host_and_one_from_a_leader_that_did_not_still_reads()
    {
        var entry = BeatEntry.Create(0, 1, 3, [1, 0, 4], [new Shot(1, "Ann", "Bob", 2, 0)], []);
        var sync = new Sync(3, "fp", 1, 0, [entry], "Cid");

        var back = (Sync)Serializer.FromBinary(Serializer.ToBinary(sync), Serializer.Manifest(sync));
        Assert.Equal(("Cid", 1, entry.Digest), (back.LeaderHost, back.From, Assert.Single(back.Entries).Digest));

        // an accept as a sender that knew no host writes it: the field is simply absent
        var bytes = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Serializer.ToBinary(new Accept(3, "fp", 0, entry))).Replace(",\"LeaderHost\":null", "", StringComparison.Ordinal));
        Assert.DoesNotContain("LeaderHost", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Null(((Accept)Serializer.FromBinary(bytes, nameof(Accept))).LeaderHost);
    }

    [Fact]
    public void A_message_too_big_for_one_remote_frame_is_reported_as_an_error_naming_it()
    {
        var shots = Enumerable.Range(0, 4000).Select(i => new Shot(1, $"Shooter{i}", "Target", 1, 1)).ToImmutableArray();
        var huge = new Sync(1, "fp", 1, 0, [BeatEntry.Create(0, 1, 1, [1], shots, [])]);

        EventFilter.Error(contains: "Sync").ExpectOne(() => Serializer.ToBinary(huge));
    }
}
