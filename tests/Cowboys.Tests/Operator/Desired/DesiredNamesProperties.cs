using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Operator.Desired;
using Cowboys.Operator.Entities;
using Cowboys.Operator.Progress;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using k8s;
using k8s.Models;
using Xunit;

namespace Cowboys.Tests.Operator.Desired;

/// <summary>A Shootout's name (any DNS-1123 subdomain, as the API server accepts for a custom resource) and its cowboys' names.</summary>
public sealed record NamedGame(string Shootout, IReadOnlyList<string> Cowboys)
{
    public override string ToString() => $"\"{Shootout}\" ({Shootout.Length}) with [{string.Join(", ", Cowboys.Select(c => $"\"{c}\""))}]";
}

public static class NameArbitraries
{
    private const string Alnum = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly string[] Awkward = ["John", "john", "Billy the Kid", "José", "Zoë", "O'Hara", "b-c", "c", "roster", "cowboys", "1", "-", "x", "deadbeef", "DEADBEEF", "Émile Zola", "李", "a.b", new string('W', 300)];

    private static Gen<string> Segment(int max) =>
        from length in Gen.Choose(1, max)
        from first in Gen.Elements(Alnum.ToCharArray())
        from middle in Gen.ArrayOf(Gen.Elements((Alnum + "-").ToCharArray()), Math.Max(0, length - 2))
        from last in Gen.Elements(Alnum.ToCharArray())
        select length == 1 ? first.ToString() : first + new string(middle) + last;

    /// <summary>DNS-1123 subdomains: short ones, digit-first ones, exactly 63, near and at 253, with dots.</summary>
    public static Gen<string> ShootoutName() => Gen.OneOf(
        Segment(12),
        Segment(63),
        from digit in Gen.Elements("0123456789".ToCharArray()) from rest in Segment(20) select digit + "v" + rest,
        from s in Segment(63) select (s + new string('a', 63))[..63],
        from parts in Gen.ArrayOf(Segment(63), 4) select string.Join('.', parts),
        from parts in Gen.ArrayOf(Segment(63), 4) select string.Join('.', parts.Select(p => (p + new string('a', 63))[..63]))[..253].TrimEnd('-', '.'));

    public static Gen<string> CowboyName() => Gen.OneOf(
        Gen.Elements(Awkward),
        ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => s.Get),
        Segment(10));

    public static Gen<NamedGame> NamedGameGen() =>
        from shootout in ShootoutName()
        from cowboys in Gen.NonEmptyListOf(CowboyName())
        let valid = cowboys.Where(c => !string.IsNullOrWhiteSpace(c) && !c.Any(char.IsControl)).DistinctBy(c => c.ToUpperInvariant()).Take(12).ToList()
        where valid.Count > 0
        select new NamedGame(shootout, valid);

    public static Arbitrary<NamedGame> NamedGame() => NamedGameGen().ToArbitrary();

    /// <summary>Two games whose names join alike: "s" with cowboy "p-q", and "s-p" with cowboy "q".</summary>
    public static Arbitrary<(NamedGame, NamedGame)> LookAlikes() => (
        from s in Segment(30)
        from p in Segment(8)
        from q in Segment(8)
        from upper in Gen.Elements(false, true)
        let c = upper ? q.ToUpperInvariant() : q
        select (new NamedGame(s, [$"{p}-{c}"]), new NamedGame($"{s}-{p}", [c]))).ToArbitrary();
}

public class DesiredNamesProperties
{
    private static Shootout ShootoutNamed(string name) => OperatorFixtures.Shootout(name: name) with
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "cowboys", Uid = $"uid-{name}", Generation = 1, ResourceVersion = "1" },
    };

    private static DesiredState Desired(NamedGame game)
    {
        var roster = new Roster(game.Shootout, game.Cowboys.Select(c => new CowboySpec(c, 10, 1)).ToImmutableArray());
        return DesiredObjects.For(ShootoutNamed(game.Shootout), new GamePlan(roster, RuleSet.Sequential, 42, TimeSpan.FromSeconds(1)), OperatorFixtures.Options);
    }

    private static IEnumerable<IKubernetesObject<V1ObjectMeta>> Everything(NamedGame game) =>
        Desired(game).All().Append(EventObjects.For(ShootoutNamed(game.Shootout), new ShootoutEvent("Normal", "Created", "created"), DateTime.UnixEpoch, "op"));

    [Property(Arbitrary = [typeof(NameArbitraries)], MaxTest = 200)]
    public void Every_object_has_a_name_and_labels_a_real_API_server_accepts(NamedGame game)
    {
        var problems = Everything(game).SelectMany(ApiValidation.Problems).ToList();
        Assert.True(problems.Count == 0, $"{game}:\n{string.Join("\n", problems)}");
    }

    [Property(Arbitrary = [typeof(NameArbitraries)], MaxTest = 200)]
    public void The_objects_refer_to_each_other_by_the_names_they_have(NamedGame game)
    {
        var desired = Desired(game);
        Assert.Equal(desired.Jobs.Count, desired.Jobs.Select(j => j.Metadata.Name).Distinct().Count());
        Assert.Equal(desired.ServiceAccount.Metadata.Name, desired.RoleBinding.Subjects.Single().Name);
        Assert.Equal(desired.Role.Metadata.Name, desired.RoleBinding.RoleRef.Name);
        Assert.Equal([desired.TieBreak.Metadata.Name], desired.Role.Rules.Single(r => r.ResourceNames is not null).ResourceNames);
        var selector = Labels.ShootoutSelector(game.Shootout).Split('=');
        foreach (var job in desired.Jobs)
        {
            var pod = job.Spec.Template;
            Assert.Equal(selector[1], pod.Metadata.Labels[selector[0]]);
            Assert.Equal(game.Shootout, pod.Metadata.Annotations[Labels.ShootoutName]);
            Assert.Equal(desired.ServiceAccount.Metadata.Name, pod.Spec.ServiceAccountName);
            Assert.Equal(desired.Roster.Metadata.Name, pod.Spec.Volumes.Single(v => v.ConfigMap is not null).ConfigMap.Name);
            var args = pod.Spec.Containers.Single().Args;
            Assert.Equal(Labels.ShootoutSelector(game.Shootout), args[args.IndexOf("--pod-label-selector") + 1]);
            Assert.Equal(desired.TieBreak.Metadata.Name, args[args.IndexOf("--lease-name") + 1]);
        }
        Assert.Equal(game.Cowboys, desired.Jobs.Select(j => j.Metadata.Annotations[Labels.CowboyName]));
    }

    [Property(Arbitrary = [typeof(NameArbitraries)], MaxTest = 200)]
    public void Two_shootouts_in_one_namespace_never_share_an_object_name(NamedGame a, NamedGame b)
    {
        if (a.Shootout == b.Shootout) return;
        var names = Everything(a).Select(o => (o.Kind, o.Metadata.Name)).ToHashSet();
        var shared = Everything(b).Select(o => (o.Kind, o.Metadata.Name)).Where(names.Contains).ToList();
        Assert.True(shared.Count == 0, $"{a} and {b} both make {string.Join(", ", shared)}");
        Assert.NotEqual(Labels.ShootoutSelector(a.Shootout), Labels.ShootoutSelector(b.Shootout));
    }

    [Property(Arbitrary = [typeof(NameArbitraries)], MaxTest = 200)]
    public void Two_shootouts_whose_names_join_alike_never_share_a_job((NamedGame A, NamedGame B) pair) =>
        Two_shootouts_in_one_namespace_never_share_an_object_name(pair.A, pair.B);

    [Property(Arbitrary = [typeof(NameArbitraries)], MaxTest = 200)]
    public void The_same_shootout_always_gives_the_same_names(NamedGame game) =>
        Assert.Equal(Everything(game).Select(o => KubernetesJson.Serialize(o)), Everything(game).Select(o => KubernetesJson.Serialize(o)));

    [Theory]
    [InlineData("a", "b-c", "a-b", "c")]
    [InlineData("full", "john-x", "full-john", "x")]
    [InlineData("s", "deadbeef", "s", "Deadbeef")]
    public void Cowboys_whose_names_join_the_same_way_get_different_jobs(string shootoutA, string cowboyA, string shootoutB, string cowboyB) =>
        Assert.NotEqual(Names.CowboyJob(shootoutA, cowboyA), Names.CowboyJob(shootoutB, cowboyB));

    [Theory]
    [InlineData("1v1")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("game.example.com")]
    public void Shootout_names_a_real_server_accepts_give_objects_it_accepts(string shootout)
    {
        var problems = Everything(new NamedGame(shootout, ["John", "Billy the Kid", "José"])).SelectMany(ApiValidation.Problems).ToList();
        Assert.Empty(problems);
    }

    [Fact]
    public void A_253_character_shootout_is_selected_by_a_shortened_label_that_no_other_name_shares()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('g', 62), 4)) + ".g"; // 253
        Assert.Equal(253, name.Length);
        var value = Names.LabelValue(name);
        Assert.True(ApiValidation.IsLabelValue(value), value);
        Assert.NotEqual(value, Names.LabelValue(name[..^1] + "h"));
    }
}
