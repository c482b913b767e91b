namespace Cowboys.Actors.Telemetry;

/// <summary>
/// Every event the cowboys' and the leader's code logs, each with its own id: 1xxx a cowboy's
/// replica, 2xxx the game's leader, 3xxx the process (hosting, discovery, wire). The JSON log
/// line's EventId comes from here; a test checks that each template names its fields and that
/// the product logs nothing else.
/// </summary>
public static class LogEvents
{
    // ---- a cowboy (CowboyActor) ----
    public static readonly LogEvent NotAVoter = new(1001, "NotAVoter", "I do not vote in this game: {Why}");
    public static readonly LogEvent ReplicaRecovered = new(1002, "ReplicaRecovered", "Recovered my replica from {Path}: promised epoch {Promised}, {Beats} beats");
    public static readonly LogEvent SupersededToken = new(1003, "SupersededToken", "Ignoring a ring token of superseded leader epoch {Epoch} (promised {Promised})");
    public static readonly LogEvent Shooting = new(1004, "Shooting", "beat {Beat}: I shoot {Target} for {Damage} ({HealthLeft} left to him, once the beat is committed)");
    public static readonly LogEvent GameAborted = new(1005, "GameAborted", "The game was aborted: {Reason}");
    public static readonly LogEvent HitAndDead = new(1006, "HitAndDead", "beat {Beat}: I'm hit and dead");
    public static readonly LogEvent Hit = new(1007, "Hit", "beat {Beat}: I'm hit, {Health} health left");
    public static readonly LogEvent OverInADraw = new(1008, "OverInADraw", "The game is over after {Beats} beats: a draw, nobody is left standing");
    public static readonly LogEvent OverWithAWinner = new(1009, "OverWithAWinner", "The game is over after {Beats} beats: the last man standing is {Winner}");
    public static readonly LogEvent LastManStanding = new(1010, "LastManStanding", "I, {Cowboy}, am the last man standing");

    // ---- the game's leader (GameMaster, and the notes of its LeaderMachine) ----
    public static readonly LogEvent WitnessSilent = new(2001, "WitnessSilent", "The witness did not answer: {Reason}");
    public static readonly LogEvent LeaderStarted = new(2002, "LeaderStarted", "Leader started on {Address}");
    public static readonly LogEvent Shot = new(2004, "Shot", "beat {Beat}: {Shooter} shoots {Target} for {Damage}, {HealthLeft} left");
    public static readonly LogEvent Dead = new(2005, "Dead", "beat {Beat}: {Cowboy} is dead ({How})"); // How: shot or forfeit
    public static readonly LogEvent BeatCommitted = new(2006, "BeatCommitted", "beat {Beat} committed: {Shots} shots, {Alive} alive, stored by {Acks} of {Cowboys}");
    public static readonly LogEvent BeatCommittedWithWitness = new(2007, "BeatCommittedWithWitness", "beat {Beat} committed: {Shots} shots, {Alive} alive, stored by {Acks} of {Cowboys} and the witness");
    public static readonly LogEvent RingRoundTrip = new(2008, "RingRoundTrip", "beat {Beat}: ring round trip {RoundTripMs} ms");
    public static readonly LogEvent LeaderAborts = new(2009, "LeaderAborts", "The game is aborted: {Reason}");
    public static readonly LogEvent Draw = new(2010, "Draw", "Nobody is left standing after {Beats} beats: a draw");
    public static readonly LogEvent Winner = new(2011, "Winner", "Last man standing is {Winner}, after {Beats} beats");
    public static readonly LogEvent RingRoundTrips = new(2012, "RingRoundTrips", "ring round trips over {Beats} beats: p50 {P50Ms} ms, p99 {P99Ms} ms");
    public static readonly LogEvent WaitingForRoster = new(2013, "WaitingForRoster", "Leader started: waiting for the {Cowboys} cowboys of the roster");
    public static readonly LogEvent CowboyBack = new(2014, "CowboyBack", "{Cowboy} is back ({Address})");
    public static readonly LogEvent CowboyAway = new(2015, "CowboyAway", "{Cowboy} is away");
    public static readonly LogEvent ResendAfterLeave = new(2016, "ResendAfterLeave", "{Cowboy} left while the token of beat {Beat} was out: sending the beat again");
    public static readonly LogEvent TokenLost = new(2017, "TokenLost", "The ring token of beat {Beat} did not come back within {LostAfterMs} ms: sending the beat again from the last commit");
    public static readonly LogEvent CannotStart = new(2018, "CannotStart", "The game cannot start: {Reason}");
    public static readonly LogEvent CowboyIgnored = new(2019, "CowboyIgnored", "Ignoring a cowboy: {Reason}");
    public static readonly LogEvent GameStarts = new(2020, "GameStarts", "All {Cowboys} cowboys are up: the game starts (rules {Rules}, seed {Seed}, leader epoch {Epoch})");
    public static readonly LogEvent LeaderWaiting = new(2021, "LeaderWaiting", "Leader epoch {Epoch}: {Waiting}");
    public static readonly LogEvent HolderGone = new(2022, "HolderGone", "Nobody present holds {Target} any more: asking for promises again");
    public static readonly LogEvent TakingOver = new(2023, "TakingOver", "Taking over the game after beat {Beat} as leader epoch {Epoch}, from {Holder}'s log");
    public static readonly LogEvent UnknownEnd = new(2024, "UnknownEnd", "{Cowboy} announced an end at beat {Beat} that this leader's log does not hold");
    public static readonly LogEvent EndAnnounced = new(2025, "EndAnnounced", "{Cowboy} already announced the end at beat {Beat}");
    public static readonly LogEvent Forfeits = new(2027, "Forfeits", "{Cowboy} has been away for {AwaySeconds} s: he forfeits in beat {Beat}");
    public static readonly LogEvent SteppingDown = new(2026, "SteppingDown", "Leader epoch {Epoch} is superseded ({Cowboy} promised epoch {Promised}): stepping down");

    // ---- the process ----
    public static readonly LogEvent Quarantined = new(3001, "Quarantined", "{Remote} has quarantined this process: the cluster removed it while it could not answer; leaving, to be started again as a new member");
    public static readonly LogEvent MessageTooBig = new(3002, "MessageTooBig", "A {Message} of {Bytes} bytes exceeds the {Limit}-byte limit of one remote message and will be dropped: {Content}");
    public static readonly LogEvent PodsFound = new(3003, "PodsFound", "Pods with label selector [{Selector}] in namespace [{Namespace}]: [{Targets}]");
    public static readonly LogEvent PodsWithoutPort = new(3004, "PodsWithoutPort", "Some running pods have no container port named like [{PortName}]: Cluster Bootstrap probes them on its fallback port");
    public static readonly LogEvent DiscoveringPods = new(3005, "DiscoveringPods", "Discovering cowboy pods through {Server}: namespace [{Namespace}], label selector [{Selector}]");
    public static readonly LogEvent DiscoveryFailed = new(3006, "DiscoveryFailed", "Pod discovery failed, Cluster Bootstrap will retry: {Reason}");

    public static readonly LogEvent ContactPointsFound = new(3007, "ContactPointsFound", "discovery found {Count} contact points: {ContactPoints} (need {Needed})");
    public static readonly LogEvent ContactPointsSilent = new(3008, "ContactPointsSilent", "no cluster yet; contact points not answering: {Rejected}");
    public static readonly LogEvent DiscoveryFailing = new(3009, "DiscoveryFailing", "discovery {Failure}");

    /// <summary>Every event, in id order.</summary>
    public static IReadOnlyList<LogEvent> All { get; } = [.. typeof(LogEvents).GetFields()
        .Where(f => f.FieldType == typeof(LogEvent)).Select(f => (LogEvent)f.GetValue(null)!).OrderBy(e => e.Id)];

    private static readonly Dictionary<string, LogEvent> ByTemplate = All.GroupBy(e => e.Template).ToDictionary(g => g.Key, g => g.First());

    /// <summary>The event a template belongs to; null for a template that is not this program's (Akka's own).</summary>
    public static LogEvent? Of(string template) => ByTemplate.GetValueOrDefault(template);
}
