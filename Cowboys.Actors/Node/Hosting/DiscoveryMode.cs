namespace Cowboys.Actors.Node.Hosting;

/// <summary>How a cowboy finds the other cowboys' contact points.</summary>
public enum DiscoveryMode
{
    /// <summary>A fixed list (--contact-points): play on one machine.</summary>
    Config,

    /// <summary>The pods that match a label selector, listed from the Kubernetes API.</summary>
    Kubernetes,
}
