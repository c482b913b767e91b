using System.CommandLine;
using Cowboys.Actors.Game.Settings;
using Cowboys.Host.Cowboy;
using Spectre.Console;
using Cowboys.Actors.Node.Hosting;

namespace Cowboys.Host.Launcher;

/// <summary>
/// The `play` command: its own options declared here, and those it passes on to every cowboy
/// (beat, rules, deadlines, log format, debug) taken from the cowboy's declaration, so their
/// names, defaults, help and messages are the cowboy command's.
/// </summary>
public static class PlayCommandLine
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "Shootout manifest (YAML) or JSON array of cowboys",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => CowboyOptions.DefaultRosterFile,
        };
        var seed = new Option<long?>("--seed") { Description = "Seed of every cowboy's random stream; the same seed gives the same game (default: random, printed)" };
        var result = new Option<string?>("--result") { Description = "Write the result as JSON to this file" };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Give up (exit 1) if the game has not ended by then",
            DefaultValueFactory = _ => new PlayOptions().Timeout,
            CustomParser = r => Duration.TryParse(r.Tokens.Single().Value, out var value) ? value
                : Fail<TimeSpan>(r, $"--timeout must be {Duration.Expected}, not '{r.Tokens.Single().Value}'"),
        };
        var chaos = Count("--chaos", "Kill this many cowboy processes with SIGKILL during the game (the leader's host first), each restarted like a Job restarts its pod");
        var pause = Count("--pause", "Freeze this many cowboy processes with SIGSTOP for 8 s during the game (the leader's host first), then wake them with SIGCONT");
        var plain = new Option<bool>("--plain") { Description = "No live view: the cowboys' merged log lines only (always so when the output is not a terminal)" };

        var play = new Command("play", "Play a shootout on this machine: one cowboy process per cowboy, in one Akka.NET cluster") { file, seed };
        var passedOn = new CowboyOptionBinding(play, "--beat", "--rules");
        play.Options.Add(result);
        play.Options.Add(timeout);
        play.Options.Add(chaos);
        play.Options.Add(pause);
        var deadlines = new CowboyOptionBinding(play, "--forfeit-after", "--start-deadline");
        play.Options.Add(plain);
        var logging = new CowboyOptionBinding(play, "--log-format", "--debug");
        play.SetAction(async (parse, _) =>
        {
            using var cts = new CancellationTokenSource();
            var signals = PlayCommand.OnTerminationSignals(cts);
            try
            {
                var options = new PlayOptions
                {
                    RosterFile = parse.GetValue(file)!,
                    Seed = parse.GetValue(seed),
                    ResultPath = parse.GetValue(result),
                    Timeout = parse.GetValue(timeout),
                    Chaos = parse.GetValue(chaos),
                    Pause = parse.GetValue(pause),
                    Plain = parse.GetValue(plain),
                    Cowboys = logging.Bind(parse, deadlines.Bind(parse, passedOn.Bind(parse))),
                };
                var console = AnsiConsole.Console;
                // piped output (CI, a file, a test) must not be wrapped at Spectre's default 80 columns
                if (Console.IsOutputRedirected) console.Profile.Width = 500;
                var interactive = !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
                return await new PlayCommand(options, console, Console.Error, interactive).RunAsync(cts.Token);
            }
            finally
            {
                foreach (var s in signals) s.Dispose();
            }
        });
        return play;
    }

    private static Option<int> Count(string name, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => 0,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError($"{name} must be 0 or more"); } },
    };

    private static T Fail<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
