namespace Cowboys.Actors.Protocol;

/// <summary>
/// Safety rules a test can switch off, one at a time, to prove that the protocol checks
/// (the simulation and the systematic search) notice the rule missing. Production never sets any.
/// </summary>
[Flags]
public enum ProtocolMutation
{
    None = 0,

    /// <summary>An acceptor promises an epoch it already promised to another leader (two leaders share a ballot).</summary>
    EqualEpochFromAnotherLeader = 1 << 0,

    /// <summary>The witness stores any accepted position of a high enough epoch, even one older than it holds.</summary>
    WitnessMayGoBack = 1 << 1,

    /// <summary>A replica stores a beat without checking that its log below it is the one the leader names.</summary>
    IgnoreBaseDigest = 1 << 2,

    /// <summary>A recovering leader plays the last beat it found afresh instead of proposing it again.</summary>
    NoReproposal = 1 << 3,

    /// <summary>A recovering leader resumes from the lower epoch when two promises end at the same beat.</summary>
    PreferLowerEpoch = 1 << 4,
}
