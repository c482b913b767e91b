using Cowboys.Operator;
using Cowboys.Operator.Entities;
using k8s.Models;

namespace Cowboys.Tests.Operator;

/// <summary>Shootouts as the API server hands them to the operator.</summary>
public static class OperatorFixtures
{
    /// <summary>The original's sample roster, verbatim.</summary>
    public const string SampleCowboys = """
        [
          {"name": "John", "health": 10, "damage": 1},
          {"name": "Bill", "health": 8, "damage": 2},
          {"name": "Sam", "health": 10, "damage": 1},
          {"name": "Peter", "health": 5, "damage": 3},
          {"name": "Philip", "health": 15, "damage": 1}
        ]
        """;

    public static readonly OperatorOptions Options = new() { CowboyImage = "cowboys:test", Identity = "test-operator" };

    public static Shootout Shootout(string name = "full", string ns = "cowboys", string? cowboys = SampleCowboys, long? seed = 42, string? beat = null, string? rules = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Uid = $"uid-{ns}-{name}",
            Generation = 1,
            ResourceVersion = "1",
        },
        Spec = new ShootoutSpec { Cowboys = cowboys, Seed = seed, Beat = beat, Rules = rules },
    };
}
