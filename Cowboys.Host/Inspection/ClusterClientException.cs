namespace Cowboys.Host.Inspection;

/// <summary>A failure of the cluster client, said so that the user knows what went wrong.</summary>
public sealed class ClusterClientException(string message) : Exception(message);
