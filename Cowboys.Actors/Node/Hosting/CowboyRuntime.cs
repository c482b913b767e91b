namespace Cowboys.Actors.Node.Hosting;

/// <summary>
/// The .NET runtime settings a cowboy process runs with, as environment variables: `play` sets
/// them on every cowboy it starts and the operator puts them in every cowboy's pod, so the two
/// cannot drift apart. Each was measured with bench/bench.py (docs/decisions/0018-a-hundred-cowboys.md).
/// They are environment variables because none of them is a runtimeconfig.json setting.
/// </summary>
public static class CowboyRuntime
{
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Environment =
    [
        // W^X maps every page of JIT-compiled code twice; turning it off took ~12 % off a cowboy's start-up CPU
        new("DOTNET_EnableWriteXorExecute", "0"),
        // the gen0 budget otherwise derives from the last-level cache (260 MiB reported here, ~80 MiB of budget
        // per process); 4 MiB keeps a cowboy's heap small at the cost of a few more, tiny, gen0 collections
        new("DOTNET_GCgen0size", "0x400000"),
        // a method is recompiled at tier 1 after 1,000 calls instead of 30: the ReadyToRun code is already
        // optimised, and fifty cowboys recompiling their warm methods at once kept two cores busy for a
        // minute after start-up (4.3 % of a core each, idle, against 2.3 %); start-up CPU is unchanged
        new("DOTNET_TC_CallCountThreshold", "1000"),
    ];
}
