namespace Cowboys.Actors.Node.Hosting;

/// <summary>How an option of the `cowboy` command takes its value.</summary>
public enum CowboyOptionKind
{
    /// <summary>`--port 4053`.</summary>
    Value,

    /// <summary>`--debug`: present or not.</summary>
    Switch,

    /// <summary>`--cluster-http-read-only false`: a boolean that is always given with its value.</summary>
    Boolean,
}
