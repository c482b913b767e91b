using Xunit;

namespace Cowboys.Tests;

/// <summary>
/// A test of minutes, skipped unless COWBOYS_LONG_TESTS=1: `dotnet test` stays within the CI
/// budget, and bench/bench.py (which measures the same games) sets it for its own run.
/// </summary>
public sealed class LongRunningFactAttribute : FactAttribute
{
    public const string Variable = "COWBOYS_LONG_TESTS";

    public LongRunningFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") Skip = $"long-running: set {Variable}=1 to run it";
    }
}
