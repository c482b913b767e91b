using System.CommandLine;
using System.Text.Json;
using Cowboys.Actors.Node.Hosting;
using Cowboys.Actors.Game.Rules;
using Cowboys.Host.Cowboy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Cowboys.Tests.Actors.Node.Hosting;

/// <summary>
/// The cowboy's command line has one declaration (<see cref="CowboyOptionSet"/>): whatever
/// options play or the operator builds, the arguments they pass parse back, through the real
/// `cowboy` command, into the same options.
/// </summary>
public sealed class CowboyOptionsProperties
{
    [Property(MaxTest = 300, Arbitrary = [typeof(CowboyOptionsArbitrary)])]
    public void Any_options_survive_the_round_trip_through_arguments_and_the_cowboy_commands_parser(CowboyOptions options)
    {
        var args = options.ToArgs();

        var parsed = ParseWithTheCowboyCommand(args);

        Assert.Equal(JsonSerializer.Serialize(options), JsonSerializer.Serialize(parsed));
    }

    [Fact]
    public void The_defaults_are_written_for_what_defines_the_game_and_left_out_for_the_rest()
    {
        var args = (CowboyOptions.Defaults with { Name = "John" }).ToArgs();

        Assert.Equal(["cowboy", "--name", "John", "--roster", CowboyOptions.DefaultRosterFile, "--seed", "0", "--rules", "sequential", "--beat", "1s",
            "--host", "127.0.0.1", "--port", "4053", "--http-port", "8558"], args);
    }

    [Theory]
    [InlineData("--port", "http", "--port must be a port number (0-65535), not 'http'")]
    [InlineData("--beat", "fast", "--beat must be a duration such as 0, 250ms, 1s or 2m (at most 1h), not 'fast'")]
    [InlineData("--discovery", "dns", "--discovery must be config or kubernetes, not 'dns'")]
    [InlineData("--log-format", "xml", "--log-format must be text or json, not 'xml'")]
    public void A_bad_value_fails_the_parse_with_the_declarations_message(string flag, string value, string message)
    {
        var (command, _) = CowboyCommandOnly();

        var result = new RootCommand { command }.Parse(["cowboy", "--name", "John", flag, value]);

        Assert.Contains(message, result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Every_declared_flag_is_distinct_and_has_help() =>
        Assert.All(CowboyOptionSet.All.GroupBy(o => o.Name), g =>
        {
            Assert.Single(g);
            Assert.False(string.IsNullOrWhiteSpace(g.Single().Description));
        });

    private static CowboyOptions ParseWithTheCowboyCommand(IReadOnlyList<string> args)
    {
        var (command, binding) = CowboyCommandOnly();
        var result = new RootCommand { command }.Parse([.. args]);
        Assert.True(result.Errors.Count == 0, $"{string.Join(' ', args)}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        return binding.Bind(result);
    }

    private static (Command, CowboyOptionBinding) CowboyCommandOnly()
    {
        var command = new Command("cowboy");
        return (command, new CowboyOptionBinding(command));
    }
}

/// <summary>Options as play and the operator build them: names, hosts, files, any seed, durations to the millisecond.</summary>
public static class CowboyOptionsArbitrary
{
    public static Arbitrary<CowboyOptions> Options() => (
        from name in Word()
        from roster in Path()
        from seed in ArbMap.Default.GeneratorFor<long>()
        from rules in Gen.Elements(RuleSet.Sequential, RuleSet.Simultaneous)
        from beat in Millis()
        from host in Gen.Elements("127.0.0.1", "0.0.0.0", "10.1.2.3")
        from publicHost in Optional(Gen.Elements("10.1.2.3", "$(POD_IP)"))
        from port in Gen.Choose(0, 65535)
        from httpPort in Gen.Choose(0, 65535)
        from contactPoints in Gen.ListOf(Gen.Choose(1, 65535).Select(p => $"127.0.0.1:{p}")).Select(l => l.Take(6).ToList())
        from result in Optional(Path())
        from parentPid in Optional(Gen.Choose(1, int.MaxValue).Select(p => (int?)p))
        from files in Gen.ArrayOf(Optional(Path()), 4)
        from leaseName in Optional(Word())
        from deadlines in Gen.Two(Millis())
        from flags in Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), 3)
        from logFormat in Gen.Elements<LogFormat?>(null, LogFormat.Text, LogFormat.Json)
        from discovery in Gen.Elements(DiscoveryMode.Config, DiscoveryMode.Kubernetes)
        from selector in Optional(Gen.Elements("example.com/shootout=full", "a=b,c=d"))
        from ns in Optional(Word())
        from portName in Word()
        select new CowboyOptions
        {
            Name = name, RosterFile = roster, Seed = seed, Rules = rules, Beat = beat, Host = host, PublicHost = publicHost, Port = port,
            HttpPort = httpPort, ContactPoints = contactPoints, ResultFile = result, ParentPid = parentPid, LeaseFile = files[0],
            StateDirectory = files[1], WitnessFile = files[2], TerminationLog = files[3], LeaseName = leaseName, ForfeitAfter = deadlines.Item1,
            StartDeadline = deadlines.Item2, Verbose = flags[0], Debug = flags[1], ClusterHttpReadOnly = flags[2], LogFormat = logFormat,
            Discovery = discovery, PodLabelSelector = selector, PodNamespace = ns, PodPortName = portName,
        }).ToArbitrary();

    private static Gen<string> Word() =>
        Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-".ToCharArray()), n))
            .Select(c => new string(c)).Where(w => !w.StartsWith('-'));

    private static Gen<string> Path() => Gen.ListOf(Word()).Select(parts => "/" + string.Join('/', parts.Take(4)) + "/file.yaml");

    private static Gen<TimeSpan> Millis() => Gen.Choose(0, 3_600_000).Select(ms => TimeSpan.FromMilliseconds(ms));

    private static Gen<T?> Optional<T>(Gen<T> gen) where T : class => Gen.OneOf(Gen.Constant<T?>(null), gen.Select(v => (T?)v));

    private static Gen<int?> Optional(Gen<int?> gen) => Gen.OneOf(Gen.Constant<int?>(null), gen);
}
