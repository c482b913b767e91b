using System.CommandLine;
using Cowboys.Actors.Node.Hosting;

namespace Cowboys.Host.Inspection;

/// <summary>
/// `cluster show|leader|unreachable|tail|leave|down|down-unreachable|join --endpoint URL`: a
/// command-line client of a cowboy's /cluster/members, in the manner of Petabridge.Cmd's `pbm`.
/// Exit codes: 0 done, 1 the endpoint failed or refused, 2 bad arguments.
/// </summary>
public static class ClusterCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;

    public static readonly string DefaultEndpoint = $"http://127.0.0.1:{CowboyOptions.DefaultHttpPort}";

    /// <summary>The pod's own endpoint when it declares one (a cowboy's pod does), else <see cref="DefaultEndpoint"/>.</summary>
    public static string EndpointFromEnvironment(Func<string, string?> variable) =>
        variable(CowboyOptions.EndpointVariable) is { Length: > 0 } declared ? declared : DefaultEndpoint;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var endpoint = new Option<Uri>("--endpoint")
        {
            Description = $"A cowboy's HTTP endpoint (its --http-port; default ${CowboyOptions.EndpointVariable}, which a cowboy's pod sets to its own, else {DefaultEndpoint})",
            DefaultValueFactory = r =>
            {
                var text = EndpointFromEnvironment(Environment.GetEnvironmentVariable);
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
                r.AddError($"{CowboyOptions.EndpointVariable} must be an http:// or https:// URL such as {DefaultEndpoint}, not '{text}'");
                return null!;
            },
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
        cluster.Subcommands.Add(Change("join", "Make the endpoint's member join the cluster at --address (only if the cowboy runs with --cluster-http-read-only false)", (c, a, ct) => c.JoinAsync(a, ct)));

        var downUnreachable = new Command("down-unreachable", "Mark every unreachable member down (only if the cowboy runs with --cluster-http-read-only false)") { endpoint };
        downUnreachable.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(endpoint)!, async client =>
        {
            foreach (var line in ClusterOutput.DownUnreachable(await client.DownUnreachableAsync(ct))) await output.WriteLineAsync(line);
        }));
        cluster.Subcommands.Add(downUnreachable);

        var count = new Option<int?>("--count") { Description = "Stop after this many changes (default: until Ctrl-C)" };
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--count must be at least 1");
        });
        var tail = new Command("tail", "The members now, then every membership and reachability change as it happens, one timestamped line each, until Ctrl-C or --count changes") { endpoint, count };
        tail.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(endpoint)!, async client =>
        {
            var left = parse.GetValue(count);
            try
            {
                await foreach (var change in client.ChangesAsync(ct))
                {
                    await output.WriteLineAsync(change.ToString());
                    await output.FlushAsync(ct);
                    // the members at the start are not changes
                    if (!change.Initial && left is not null && --left == 0) return;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }));
        cluster.Subcommands.Add(tail);
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
