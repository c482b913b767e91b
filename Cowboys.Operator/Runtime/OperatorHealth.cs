namespace Cowboys.Operator.Runtime;

/// <summary>What /ready reports (the process takes part in the election) and whether this replica leads.</summary>
public sealed class OperatorHealth
{
    private volatile bool _started;
    private volatile bool _leading;

    public bool IsStarted => _started;

    /// <summary>True while this replica's watch-and-reconcile loop runs.</summary>
    public bool IsLeading => _leading;

    public void Started() => _started = true;

    public void Leading(bool leading) => _leading = leading;
}
