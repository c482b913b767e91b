using System.Text.Json;

namespace Cowboys.Host.Inspection;

/// <summary>
/// One line of GET /cluster/changes (newline-delimited JSON): a member's state or a change of
/// it, as the serving cowboy's cluster published it and when. <see cref="Initial"/> marks the
/// members as they were when the stream began; every later line is a change.
/// </summary>
/// <param name="Status">joining, weakly-up, up, leaving, exiting, down, removed, unreachable or reachable.</param>
public sealed record ClusterChange(DateTimeOffset Time, string Node, string? Cowboy, string Status, bool Initial = false)
{
    public string ToJson() => JsonSerializer.Serialize(this, ClusterMembersJson.Json);

    /// <summary>A line a cowboy wrote; null when it is not one.</summary>
    public static ClusterChange? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<ClusterChange>(line, ClusterMembersJson.Json) is { Node: not null, Status: not null } change ? change : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>As `cluster tail` prints it, pbm's way: <c>HH:mm:ss.fff address | cowboy | status</c>.</summary>
    public override string ToString() =>
        $"{Time.UtcDateTime.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)} {Node} | {Cowboy ?? "-"} | {Status}";
}
