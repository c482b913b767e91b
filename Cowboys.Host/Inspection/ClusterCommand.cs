using System.CommandLine;
using Cowboys.Actors.Hosting;

namespace Cowboys.Host.Inspection;

/// <summary>
/// `cluster show|leader|unreachable|leave|down --endpoint URL`: a command-line client of a cowboy's
/// /cluster/members, in the manner of Petabridge.Cmd's `pbm`. Exit codes: 0 done, 1 the endpoint
/// failed or refused, 2 bad arguments.
/// </summary>
public static class ClusterCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;

    public static readonly string DefaultEndpoint = $"http://127.0.0.1:{CowboyCommandLine.DefaultHttpPort}";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var endpoint = new Option<Uri>("--endpoint")
        {
            Description = $"A cowboy's HTTP endpoint (its --http-port; default {DefaultEndpoint}, what it is inside a cowboy's pod)",
            DefaultValueFactory = _ => new Uri(DefaultEndpoint),
            CustomParser = r =>
            {
                var text = r.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
                r.AddError($"--endpoint must be an http:// or https:// URL such as {DefaultEndpoint}, not '{text}'");
                return null!;
            },
        };
        var address = new Option<string>("--address")
        {
            Description = "The member's address, e.g. akka.tcp://cowboys@127.0.0.1:4053 (as `cluster show` prints it)",
            Required = true,
        };

        var cluster = new Command("cluster", "Inspect a running shootout's cluster through a cowboy's HTTP endpoint (like Petabridge.Cmd's pbm)");
        cluster.Subcommands.Add(Read("show", "One line per member: address | [roles] | status | cowboy (leader, oldest, game leader, unreachable) | app version", ClusterOutput.Show));
        cluster.Subcommands.Add(Read("leader", "The cluster's leader and the host of the game's leader singleton", ClusterOutput.Leader));
        cluster.Subcommands.Add(Read("unreachable", "The members some members cannot reach, and who observed it", ClusterOutput.Unreachable));
        cluster.Subcommands.Add(Change("leave", "Make a member leave the cluster (only if the cowboy runs with --cluster-http-read-only false)", (c, a, ct) => c.LeaveAsync(a, ct)));
        cluster.Subcommands.Add(Change("down", "Mark a member down (only if the cowboy runs with --cluster-http-read-only false)", (c, a, ct) => c.DownAsync(a, ct)));
        return cluster;

        Command Read(string name, string description, Func<ClusterMembersJson, IReadOnlyList<string>> format)
        {
            var command = new Command(name, description) { endpoint };
            command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(endpoint)!, async client =>
            {
                foreach (var line in format(await client.MembersAsync(ct))) await output.WriteLineAsync(line);
            }));
            return command;
        }

        Command Change(string name, string description, Func<ClusterClient, string, CancellationToken, Task<string>> change)
        {
            var command = new Command(name, description) { endpoint, address };
            command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(endpoint)!, async client =>
                await output.WriteLineAsync(await change(client, parse.GetValue(address)!, ct))));
            return command;
        }

        async Task<int> RunAsync(Uri uri, Func<ClusterClient, Task> run)
        {
            // a base without a trailing slash would lose its last path segment
            var root = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
            using var http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            try
            {
                await run(new ClusterClient(http, root));
                return Ok;
            }
            catch (ClusterClientException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return Failed;
            }
        }
    }
}
