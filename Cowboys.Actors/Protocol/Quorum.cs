namespace Cowboys.Actors.Protocol;

/// <summary>
/// Who must agree for a beat to be committed. The voters are the roster's processes (dead
/// cowboys' too), plus, when there is an even number of them, a linearizable tie-breaker (the
/// witness), so that two halves can never both decide. Any two quorums share a voter.
/// </summary>
public static class Quorum
{
    /// <summary>Whether <paramref name="processes"/> agreeing processes (and the witness, if it agreed) are a strict majority of the voters.</summary>
    public static bool Reached(int rosterCount, int processes, bool witness)
    {
        var even = rosterCount % 2 == 0;
        var voters = rosterCount + (even ? 1 : 0);
        var agreeing = processes + (even && witness ? 1 : 0);
        return 2 * agreeing > voters;
    }

    /// <summary>Whether the witness's vote would turn these processes into a quorum: exactly half of an even roster.</summary>
    public static bool WitnessDecides(int rosterCount, int processes) => rosterCount % 2 == 0 && processes == rosterCount / 2;
}

/// <summary>The quorum rule the leader applies (a seam, so that a test can break it and see the checker notice).</summary>
public delegate bool QuorumRule(int rosterCount, int processes, bool witness);
