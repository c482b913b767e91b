namespace Cowboys.Actors.Protocol;

/// <summary>
/// The leader's fold of cluster membership into who is present: members come up, become
/// unreachable, reachable again, or leave; each member's cowboy says who he is (Hello). A cowboy
/// is present from his Hello until his member is unreachable or gone; then he is away. Pure, so
/// that the simulation folds membership exactly as the leader's actor does. Addresses are the
/// members' unique addresses (a restarted process is another member).
/// </summary>
public sealed class Attendance
{
    private readonly HashSet<string> _members = new();
    private readonly HashSet<string> _unreachable = new();
    private readonly Dictionary<string, string> _cowboyAt = new();

    /// <summary>A member that hosts a cowboy is up: ask it who plays there.</summary>
    public void MemberUp(string address) => _members.Add(address);

    /// <summary>A member left or was removed: the cowboys it hosted are away.</summary>
    public IReadOnlyList<string> MemberGone(string address)
    {
        _members.Remove(address);
        _unreachable.Remove(address);
        return Forget(address);
    }

    /// <summary>A member became unreachable: the cowboys it hosted are away until it is reachable again and says so.</summary>
    public IReadOnlyList<string> Unreachable(string address)
    {
        if (!_members.Contains(address)) return [];
        _unreachable.Add(address);
        return Forget(address);
    }

    /// <summary>A member is reachable again: true if it should be asked who plays there.</summary>
    public bool Reachable(string address) => _unreachable.Remove(address);

    /// <summary>Members whose cowboy has not said who he is yet (asked again periodically: a WhoAreYou may be lost).</summary>
    public IEnumerable<string> Strangers => _members.Where(a => !_unreachable.Contains(a) && !_cowboyAt.ContainsValue(a));

    /// <summary>
    /// A cowboy said who he is: true if the leader should hear it (a member that is up and
    /// reachable, and not a repeat). The first member to claim a roster name keeps it while present;
    /// a second one still reaches the leader, which tells two processes playing one cowboy apart.
    /// </summary>
    public bool Hello(string name, string address, bool inRoster)
    {
        if (!_members.Contains(address) || _unreachable.Contains(address)) return false;
        if (_cowboyAt.TryGetValue(name, out var known) && known == address) return false;
        if (inRoster) _cowboyAt.TryAdd(name, address);
        return true;
    }

    /// <summary>Where the present cowboy of this name is (null: away).</summary>
    public string? AddressOf(string name) => _cowboyAt.GetValueOrDefault(name);

    private List<string> Forget(string address)
    {
        var names = _cowboyAt.Where(c => c.Value == address).Select(c => c.Key).ToList();
        foreach (var name in names) _cowboyAt.Remove(name);
        return names;
    }
}
