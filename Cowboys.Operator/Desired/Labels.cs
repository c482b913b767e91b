namespace Cowboys.Operator.Desired;

/// <summary>Labels and annotations the operator puts on everything it creates, and selects by.</summary>
public static class Labels
{
    public const string Shootout = "example.com/shootout";
    public const string Cowboy = "example.com/cowboy";
    public const string CowboyName = "example.com/cowboy-name";

    /// <summary>Annotation: the Shootout's full name (the label holds <see cref="Names.LabelValue"/> of it, which is shorter when it is long).</summary>
    public const string ShootoutName = "example.com/shootout-name";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Name = "app.kubernetes.io/name";
    public const string Operator = "cowboys-operator";

    /// <summary>Selects every object and pod any Shootout owns: what the operator watches.</summary>
    public const string ManagedSelector = ManagedBy + "=" + Operator;

    public static string ShootoutSelector(string shootout) => $"{Shootout}={Names.LabelValue(shootout)}";

    public static Dictionary<string, string> For(string shootout) => new()
    {
        [Name] = "cowboys",
        [ManagedBy] = Operator,
        [Shootout] = Names.LabelValue(shootout),
    };
}
