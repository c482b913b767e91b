using Akka.Cluster;

namespace Cowboys.Host.Inspection;

/// <summary>A member some members cannot reach, and which members they are.</summary>
public sealed record ClusterUnreachableMemberJson(string Node, IReadOnlyList<string> ObservedBy);
