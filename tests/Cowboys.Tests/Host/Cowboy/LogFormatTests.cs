using Cowboys.Actors.Node.Hosting;
using Cowboys.Host.Cowboy;
using Xunit;

namespace Cowboys.Tests.Host.Cowboy;

/// <summary>The cowboy's log: which format, and what a JSON line carries.</summary>
public class LogFormatTests
{
    [Theory]
    [InlineData(null, null, LogFormat.Text)]
    [InlineData(null, "", LogFormat.Text)]
    [InlineData(null, "10.96.0.1", LogFormat.Json)] // in a pod
    [InlineData(LogFormat.Text, "10.96.0.1", LogFormat.Text)] // asked for wins
    [InlineData(LogFormat.Json, null, LogFormat.Json)]
    public void Json_is_the_default_only_in_a_pod_and_an_explicit_format_wins(LogFormat? asked, string? kubernetesServiceHost, LogFormat expected) =>
        Assert.Equal(expected, LogFormats.Resolve(asked, kubernetesServiceHost));

    [Fact]
    public void A_peer_that_left_is_a_warning_shown_only_when_verbose_even_from_the_endpoints_supervisor()
    {
        // what the endpoint writer's supervisor publishes when a peer's process exits: at the end of every game
        // (the exception type is internal to Akka.Remote)
        var cause = (Exception)Activator.CreateInstance(typeof(Akka.Remote.RemoteSettings).Assembly.GetType("Akka.Remote.EndpointDisassociatedException", throwOnError: true)!,
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, null, ["Disassociated"], null)!;
        var disassociated = new Akka.Event.Error(cause,
            "akka://cowboys/system/endpointManager/reliableEndpointWriter-1", typeof(Akka.Actor.OneForOneStrategy), "Disassociated");
        Assert.Null(ConsoleLineLogger.Shown(disassociated, verbose: false, debug: false));
        Assert.Equal(Akka.Event.LogLevel.WarningLevel, ConsoleLineLogger.Shown(disassociated, verbose: true, debug: false));

        // any other error of Akka's is still shown as one
        var crash = new Akka.Event.Error(new InvalidOperationException("boom"), "akka://cowboys/user/cowboy", typeof(Akka.Actor.OneForOneStrategy), "boom");
        Assert.Equal(Akka.Event.LogLevel.ErrorLevel, ConsoleLineLogger.Shown(crash, verbose: false, debug: false));
    }

    [Fact]
    public void A_named_template_gives_each_hole_its_argument_in_order()
    {
        var state = LogState.Of("beat {Beat}: {Shooter} shoots {Target} for {Damage}, {HealthLeft} left", [3, "John", "Bill", 1, 2], "beat 3: John shoots Bill for 1, 2 left");

        Assert.Equal(
            [new("Beat", 3), new("Shooter", "John"), new("Target", "Bill"), new("Damage", 1), new("HealthLeft", 2),
             new("{OriginalFormat}", "beat {Beat}: {Shooter} shoots {Target} for {Damage}, {HealthLeft} left")],
            state.ToArray());
        Assert.Equal("beat 3: John shoots Bill for 1, 2 left", state.Message);
    }

    [Fact]
    public void A_positional_template_names_holes_by_number_even_when_one_is_used_twice()
    {
        var state = LogState.Of("beat {0}: I shoot {1} for {2} ({1} has {3:F0} left)", [2, "Sam", 3, 0], "text");

        Assert.Equal(["0", "1", "2", "3", "{OriginalFormat}"], state.Select(p => p.Key));
        Assert.Equal([2, "Sam", 3, 0], state.Take(4).Select(p => p.Value));
    }

    [Fact]
    public void Escaped_braces_and_missing_arguments_do_not_throw()
    {
        var state = LogState.Of("{{not a hole}} {Missing}", [], "{not a hole} ?");

        Assert.Equal([new("Missing", null), new("{OriginalFormat}", "{{not a hole}} {Missing}")], state.ToArray());
    }
}

/// <summary>What a cowboy says about cluster formation.</summary>
public class DiscoveryWatchTests
{
    [Fact]
    public void Found_lists_the_contact_points_or_none() =>
        Assert.Equal(("a:1, b:2", "none"), (DiscoveryWatch.Found(["a:1", "b:2"]), DiscoveryWatch.Found([])));

    [Fact]
    public void Rejected_names_only_the_contact_points_that_failed_with_why()
    {
        Assert.Equal("b:2 (connection refused), c:3 (HTTP 500)", DiscoveryWatch.Rejected([("a:1", null), ("b:2", "connection refused"), ("c:3", "HTTP 500")]));
        Assert.Null(DiscoveryWatch.Rejected([("a:1", null)]));
    }
}
