using System.Net;

namespace Cowboys.Host.Inspection;

/// <summary>The client side of a cowboy's /cluster/members, as Petabridge.Cmd's `pbm` is of its host.</summary>
public sealed class ClusterClient(HttpClient http, Uri endpoint)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<ClusterMembersJson> MembersAsync(CancellationToken ct)
    {
        var (status, reason, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Url("cluster/members")), ct);
        if (status != HttpStatusCode.OK) throw NotACowboy($"GET /cluster/members answered {(int)status} {reason}");
        return ClusterMembersJson.Parse(body) ?? throw NotACowboy("GET /cluster/members did not answer with the cluster's members (JSON)");
    }

    /// <summary>GET /cluster/changes: the members as they are, then each change as the cowboy's cluster publishes it, until the cowboy stops or <paramref name="ct"/>.</summary>
    public async IAsyncEnumerable<ClusterChange> ChangesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        HttpResponseMessage response;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(Timeout);
            try
            {
                response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url("cluster/changes")), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (HttpRequestException e)
            {
                throw new ClusterClientException($"cannot reach {endpoint}: {e.Message}");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ClusterClientException($"{endpoint} did not answer within {Timeout.TotalSeconds:0} s");
            }
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK) throw NotACowboy($"GET /cluster/changes answered {(int)response.StatusCode} {response.ReasonPhrase}");
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(ct);
                }
                catch (IOException e)
                {
                    throw new ClusterClientException($"{endpoint} broke off the stream of changes: {e.Message}");
                }
                if (line is null) throw new ClusterClientException($"{endpoint} ended the stream of changes: its cowboy stopped");
                yield return ClusterChange.Parse(line) ?? throw NotACowboy("GET /cluster/changes sent a line that is not a change");
            }
        }
    }

    /// <summary>DELETE /cluster/members/{address}: the member leaves.</summary>
    public Task<string> LeaveAsync(string address, CancellationToken ct) =>
        ChangeAsync("leave", new HttpRequestMessage(HttpMethod.Delete, Url(MemberPath(address))), ct);

    /// <summary>PUT /cluster/members/{address} operation=Down.</summary>
    public Task<string> DownAsync(string address, CancellationToken ct) =>
        ChangeAsync("down", new HttpRequestMessage(HttpMethod.Put, Url(MemberPath(address)))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("operation", "Down")]),
        }, ct);

    /// <summary>
    /// Marks every member the endpoint sees unreachable down, one PUT each: each member's address
    /// and the endpoint's answer, in order. The answer is null for a member that was removed between
    /// the reading and its PUT: the Split Brain Resolver downs an unreachable member by itself about
    /// a second later, and what the user asked for (that member out of the cluster) is then done.
    /// </summary>
    public async Task<IReadOnlyList<(string Member, string? Answer)>> DownUnreachableAsync(CancellationToken ct)
    {
        var answers = new List<(string, string?)>();
        foreach (var member in (await MembersAsync(ct)).Unreachable)
        {
            try
            {
                answers.Add((member.Node, await DownAsync(member.Node, ct)));
            }
            catch (ClusterClientException e) when (e.Status == HttpStatusCode.NotFound)
            {
                answers.Add((member.Node, null));
            }
        }
        return answers;
    }

    /// <summary>POST /cluster/members address=A: the endpoint's member joins the cluster at A.</summary>
    public Task<string> JoinAsync(string address, CancellationToken ct) =>
        ChangeAsync("join", new HttpRequestMessage(HttpMethod.Post, Url("cluster/members/"))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("address", address)]),
        }, ct);

    private static string MemberPath(string address) => "cluster/members/" + Uri.EscapeDataString(address);

    private async Task<string> ChangeAsync(string action, HttpRequestMessage request, CancellationToken ct)
    {
        var (status, reason, body) = await SendAsync(request, ct);
        var message = ClusterHttpMessageOf(body);
        return status switch
        {
            HttpStatusCode.OK when message is not null => message,
            HttpStatusCode.MethodNotAllowed => throw new ClusterClientException(
                $"{action} is disabled on {endpoint}: the cowboy serves /cluster/members read-only (start it with --cluster-http-read-only false to allow leave, down and join)"),
            HttpStatusCode.NotFound or HttpStatusCode.BadRequest when message is not null => throw new ClusterClientException($"{endpoint}: {message}", status),
            _ => throw NotACowboy($"{request.Method} /cluster/members/... answered {(int)status} {reason}"),
        };
    }

    private static string? ClusterHttpMessageOf(string body)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<ClusterHttpMessage>(body, ClusterMembersJson.Json)?.Message;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private Uri Url(string path) => new(endpoint, path);

    private ClusterClientException NotACowboy(string what) => new($"{endpoint} is not a cowboy's HTTP endpoint: {what}");

    private async Task<(HttpStatusCode Status, string? Reason, string Body)> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            return (response.StatusCode, response.ReasonPhrase, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (HttpRequestException e)
        {
            throw new ClusterClientException($"cannot reach {endpoint}: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ClusterClientException($"{endpoint} did not answer within {Timeout.TotalSeconds:0} s");
        }
    }
}
