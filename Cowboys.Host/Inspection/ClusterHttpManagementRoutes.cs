using Akka.Actor;

namespace Cowboys.Host.Inspection;

/// <summary>The routes, on the cowboy's ASP.NET Core endpoint.</summary>
public static class ClusterHttpManagementRoutes
{
    public static void MapClusterHttpManagement(this IEndpointRouteBuilder app, bool readOnly)
    {
        // this project's own route, not Akka Management's: the changes as the cluster publishes them, one JSON line each
        app.MapGet("/cluster/changes", async (HttpContext http, ClusterHttpManagement cluster, IHostApplicationLifetime lifetime) =>
        {
            // a stream open when the cowboy stops must not hold up its exit
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            http.Response.ContentType = "application/x-ndjson";
            try
            {
                await http.Response.Body.FlushAsync(ended.Token);
                await foreach (var change in cluster.ChangesAsync(ended.Token))
                {
                    await http.Response.WriteAsync(change.ToJson() + "\n", ended.Token);
                    await http.Response.Body.FlushAsync(ended.Token);
                }
            }
            catch (OperationCanceledException) when (ended.IsCancellationRequested)
            {
                // the client went away, or this cowboy stops
            }
        });

        // one route: a catch-all also matches /cluster/members itself, which two routes would make ambiguous
        app.MapMethods("/cluster/members/{**address}", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Post, HttpMethods.Patch],
            async (HttpContext http, ClusterHttpManagement cluster, string? address) =>
            {
                if (string.IsNullOrEmpty(address))
                {
                    if (http.Request.Method == HttpMethods.Get) return Results.Text((await cluster.MembersAsync()).ToJson(), "application/json");
                    if (http.Request.Method != HttpMethods.Post || readOnly) return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
                    // POST address=...: this member joins the cluster at that address (Akka Management's join)
                    var join = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["address"].FirstOrDefault() : null;
                    if (join is null) return Message(StatusCodes.Status400BadRequest, "Request is missing required form field 'address'");
                    if (!Address.TryParse(join, out var seed)) return Message(StatusCodes.Status400BadRequest, $"'{join}' is not a member address such as akka.tcp://cowboys@127.0.0.1:4053");
                    cluster.Join(seed);
                    return Message(StatusCodes.Status200OK, $"Joining {seed}");
                }
                // the address may come URL-encoded (akka.tcp%3A%2F%2F...) or as it is
                var decoded = Uri.UnescapeDataString(address);
                var member = readOnly && http.Request.Method != HttpMethods.Get ? null : cluster.Find(decoded);
                string? operation = null;
                if (http.Request.Method == HttpMethods.Put && http.Request.HasFormContentType)
                {
                    operation = (await http.Request.ReadFormAsync(http.RequestAborted))["operation"].FirstOrDefault();
                }
                switch (MemberAction.Decide(http.Request.Method, readOnly, decoded, member is not null, operation))
                {
                    case MemberAction.Show:
                        return Results.Text((await cluster.MemberAsync(member!)).ToJson(), "application/json");
                    case MemberAction.Leave:
                        cluster.Leave(member!);
                        return Message(StatusCodes.Status200OK, $"Leaving {member!.Address}");
                    case MemberAction.Down:
                        cluster.Down(member!);
                        return Message(StatusCodes.Status200OK, $"Downing {member!.Address}");
                    case MemberAction.Refuse { Message: null } r:
                        return Results.StatusCode(r.Status);
                    case MemberAction.Refuse r:
                        return Message(r.Status, r.Message!);
                    default:
                        return Results.StatusCode(StatusCodes.Status500InternalServerError);
                }
            });
    }

    private static IResult Message(int status, string message) => Results.Text(new ClusterHttpMessage(message).ToJson(), "application/json", statusCode: status);
}
