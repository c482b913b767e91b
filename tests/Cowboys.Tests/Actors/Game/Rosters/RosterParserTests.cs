using System.Diagnostics;
using System.Text;
using Cowboys.Actors.Game.Rosters;
using Xunit;

namespace Cowboys.Tests.Actors.Game.Rosters;

public class RosterParserTests
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "samples", "shootout-full.yaml");

    private static string Manifest(string cowboysJson, string kind = "Shootout", string name = "full") => $"""
        apiVersion: example.com/v1alpha1
        kind: {kind}
        metadata:
          name: {name}
        spec:
          cowboys: '{cowboysJson.Replace("'", "''")}'
        """;

    private static string Error(string text) => Assert.Throws<InvalidRosterException>(() => RosterParser.Parse(text)).Message;

    private static void AssertOneLine(string message) => Assert.DoesNotContain('\n', message);

    [Fact]
    public void The_sample_manifest_gives_the_five_cowboys_in_order_and_the_shootout_name()
    {
        var roster = RosterParser.ParseFile(SamplePath);
        Assert.Equal("full", roster.ShootoutName);
        Assert.Equal(
            [new("John", 10, 1), new("Bill", 8, 2), new("Sam", 10, 1), new("Peter", 5, 3), new("Philip", 15, 1)],
            roster.Cowboys.ToArray<CowboySpec>());
    }

    [Fact]
    public void A_plain_json_array_gives_cowboys_and_no_shootout_name()
    {
        var roster = RosterParser.Parse("""[{"name":"John","health":10,"damage":1},{"damage":2,"health":8,"name":" Bill "}]""");
        Assert.Null(roster.ShootoutName);
        Assert.Equal([new("John", 10, 1), new(" Bill ", 8, 2)], roster.Cowboys.ToArray<CowboySpec>());
    }

    [Fact]
    public void A_json_array_after_whitespace_and_a_byte_order_mark_is_read()
    {
        var roster = RosterParser.Parse("\uFEFF \n [{\"name\":\"John\",\"health\":1,\"damage\":1000000000}]");
        Assert.Equal(1_000_000_000, roster.Cowboys[0].Damage);
    }

    [Fact]
    public void A_manifest_with_a_literal_block_scalar_is_read()
    {
        var roster = RosterParser.Parse("""
            apiVersion: example.com/v1alpha1
            kind: Shootout
            metadata: {name: duel}
            spec:
              cowboys: |
                [{"name": "A", "health": 1, "damage": 1},
                 {"name": "B", "health": 2, "damage": 2}]
            """);
        Assert.Equal("duel", roster.ShootoutName);
        Assert.Equal(2, roster.Count);
    }

    [Theory]
    [InlineData("""[{"name":"John","health":10,"damage":1},{"name":"Bill","health":0,"damage":2}]""", "cowboy #2 \"Bill\": health must be a whole number from 1 to 1000000000, got 0")]
    [InlineData("""[{"name":"Bill","health":-5,"damage":2}]""", "cowboy #1 \"Bill\": health must be a whole number from 1 to 1000000000, got -5")]
    [InlineData("""[{"name":"Bill","health":1000000001,"damage":2}]""", "cowboy #1 \"Bill\": health must be a whole number from 1 to 1000000000, got 1000000001")]
    [InlineData("""[{"name":"Bill","health":1.5,"damage":2}]""", "cowboy #1 \"Bill\": health must be a whole number from 1 to 1000000000, got 1.5")]
    [InlineData("""[{"name":"Bill","health":"10","damage":2}]""", "cowboy #1 \"Bill\": health must be a whole number from 1 to 1000000000, got \"10\"")]
    [InlineData("""[{"name":"Bill","health":10,"damage":0}]""", "cowboy #1 \"Bill\": damage must be a whole number from 1 to 1000000000, got 0")]
    [InlineData("""[{"name":"Bill","health":10,"damage":null}]""", "cowboy #1 \"Bill\": damage must be a whole number from 1 to 1000000000, got null")]
    [InlineData("""[{"name":"Bill","health":10,"damage":1e400}]""", "cowboy #1 \"Bill\": damage must be a whole number from 1 to 1000000000, got 1e400")]
    public void Health_and_damage_must_be_whole_numbers_in_range(string json, string expected)
    {
        Assert.Equal(expected, Error(json));
    }

    [Fact]
    public void An_unknown_field_is_named_with_the_expected_fields()
    {
        var message = Error("""[{"name":"John","heatlh":10,"damage":1}]""");
        Assert.Contains("cowboy #1 \"John\"", message);
        Assert.Contains("unknown field \"heatlh\"", message);
        Assert.Contains("\"name\", \"health\", \"damage\"", message);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        Assert.Contains("unknown field \"Health\"", Error("""[{"name":"John","Health":10,"damage":1}]"""));
    }

    [Fact]
    public void A_missing_field_is_named()
    {
        var message = Error("""[{"name":"John","health":10,"damage":1},{"name":"Sam","health":10}]""");
        Assert.Contains("cowboy #2 \"Sam\"", message);
        Assert.Contains("missing field \"damage\"", message);
    }

    [Fact]
    public void A_missing_name_is_reported_by_position()
    {
        Assert.Equal("cowboy #1: missing field \"name\", expected exactly \"name\", \"health\", \"damage\"", Error("""[{"health":10,"damage":1}]"""));
    }

    [Fact]
    public void A_duplicate_property_is_an_error()
    {
        var message = Error("""[{"name":"John","health":10,"health":20,"damage":1}]""");
        Assert.Contains("cowboy #1 \"John\"", message);
        Assert.Contains("\"health\" appears more than once", message);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("\"\\t\"")]
    public void An_empty_or_blank_name_is_an_error(string name)
    {
        var message = Error($$"""[{"name":"John","health":1,"damage":1},{"name":{{name}},"health":10,"damage":1}]""");
        Assert.StartsWith("cowboy #2", message);
        Assert.Contains("name must not be empty or only whitespace", message);
        AssertOneLine(message);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[\"John\"]")]
    public void A_name_that_is_not_a_string_is_an_error(string name)
    {
        var message = Error($$"""[{"name":{{name}},"health":10,"damage":1}]""");
        Assert.Equal($"cowboy #1: name must be a non-empty string, got {name}", message);
    }

    [Fact]
    public void A_name_with_a_control_character_is_an_error_and_the_message_stays_on_one_line()
    {
        var message = Error("""[{"name":"Jo\nhn","health":10,"damage":1}]""");
        Assert.Contains("cowboy #1 \"Jo\\nhn\"", message);
        Assert.Contains("control characters", message);
        AssertOneLine(message);
    }

    [Fact]
    public void Names_must_be_unique_ignoring_case_and_both_are_named()
    {
        var message = Error("""[{"name":"Bill","health":1,"damage":1},{"name":"John","health":1,"damage":1},{"name":"bILL","health":1,"damage":1}]""");
        Assert.Equal("cowboy #3 \"bILL\": name is already used by cowboy #1 \"Bill\" (names must be unique, ignoring case)", message);
    }

    [Theory]
    [InlineData("[1]", "cowboy #1: expected an object")]
    [InlineData("[{\"name\":\"A\",\"health\":1,\"damage\":1}, \"B\"]", "cowboy #2: expected an object")]
    [InlineData("[]", "at least 1 cowboy")]
    [InlineData("", "the roster is empty")]
    [InlineData("  \n ", "the roster is empty")]
    public void The_shape_of_the_list_is_checked(string text, string expected)
    {
        Assert.Contains(expected, Error(text));
    }

    [Fact]
    public void Invalid_json_reports_the_position()
    {
        var message = Error("[{\"name\":\"John\",\n\"health\":10 \"damage\":1}]");
        Assert.StartsWith("roster: invalid JSON at line 2, column", message);
        AssertOneLine(message);
    }

    [Fact]
    public void Trailing_commas_and_comments_are_not_json()
    {
        Assert.Contains("invalid JSON", Error("""[{"name":"John","health":10,"damage":1},]"""));
        Assert.Contains("invalid JSON", Error("[/* c */{\"name\":\"John\",\"health\":10,\"damage\":1}]"));
    }

    [Fact]
    public void Invalid_json_inside_a_manifest_is_reported_in_spec_cowboys()
    {
        var message = Error(Manifest("""[{"name":"John" "health":10,"damage":1}]"""));
        Assert.StartsWith("spec.cowboys: invalid JSON at line 1, column", message);
    }

    [Fact]
    public void Invalid_yaml_reports_the_position()
    {
        var message = Error("kind: Shootout\nmetadata: [unclosed\n  name: x\n");
        Assert.StartsWith("invalid YAML at line", message);
        AssertOneLine(message);
    }

    [Fact]
    public void A_cowboy_error_inside_a_manifest_names_the_cowboy()
    {
        Assert.Equal(
            "cowboy #2 \"Bill\": health must be a whole number from 1 to 1000000000, got 0",
            Error(Manifest("""[{"name":"John","health":10,"damage":1},{"name":"Bill","health":0,"damage":2}]""")));
    }

    [Fact]
    public void A_manifest_of_another_kind_is_refused()
    {
        Assert.Equal("kind must be \"Shootout\", got \"ConfigMap\"", Error(Manifest("[]", kind: "ConfigMap")));
    }

    [Fact]
    public void A_manifest_of_another_api_version_is_refused()
    {
        var message = Error("apiVersion: v1\nkind: Shootout\nmetadata:\n  name: x\nspec:\n  cowboys: '[]'\n");
        Assert.Contains("apiVersion must be \"example.com/v1alpha1\"", message);
    }

    [Fact]
    public void A_manifest_without_a_name_is_refused()
    {
        Assert.Contains("metadata.name", Error("apiVersion: example.com/v1alpha1\nkind: Shootout\nspec:\n  cowboys: '[]'\n"));
    }

    [Theory]
    [InlineData("spec: {}", "spec.cowboys is missing")]
    [InlineData("spec: {cowbois: '[]'}", "spec.cowboys is missing")]
    [InlineData("metadata: {name: x}", "spec is missing")]
    public void A_manifest_without_spec_cowboys_is_refused(string tail, string expected)
    {
        var text = "apiVersion: example.com/v1alpha1\nkind: Shootout\nmetadata: {name: x}\n" + (tail.StartsWith("metadata", StringComparison.Ordinal) ? "" : tail + "\n");
        Assert.Contains(expected, Error(text));
    }

    [Theory]
    [InlineData("\n    - name: John\n      health: 10\n      damage: 1", "sequence")]
    [InlineData("\n    name: John", "mapping")]
    [InlineData(" 42", "scalar 42")]
    [InlineData(" true", "scalar true")]
    [InlineData(" ~", "scalar")]
    public void Spec_cowboys_must_be_a_string(string value, string got)
    {
        var message = Error($"apiVersion: example.com/v1alpha1\nkind: Shootout\nmetadata: {{name: x}}\nspec:\n  cowboys:{value}\n");
        Assert.Contains("spec.cowboys must be a string holding a JSON array of cowboys", message);
        Assert.Contains(got, message);
    }

    [Fact]
    public void Spec_cowboys_holding_an_object_is_refused()
    {
        Assert.Equal("spec.cowboys: expected a JSON array of cowboys, got an object", Error(Manifest("""{"name":"John"}""")));
    }

    [Fact]
    public void A_yaml_list_at_the_top_is_refused()
    {
        Assert.Contains("got a YAML sequence", Error("- name: John\n  health: 1\n  damage: 1\n"));
    }

    [Fact]
    public void Several_yaml_documents_are_refused()
    {
        var one = Manifest("""[{"name":"John","health":10,"damage":1}]""");
        Assert.Contains("found 2 YAML documents", Error(one + "\n---\n" + one));
    }

    [Fact]
    public void A_roster_of_exactly_the_limit_is_accepted()
    {
        Assert.Equal(RosterParser.MaxCowboys, RosterParser.Parse(Cowboys(RosterParser.MaxCowboys)).Count);
        Assert.Contains("at most 1000 cowboys", Error(Cowboys(RosterParser.MaxCowboys + 1)));
    }

    [Fact]
    public void A_hundred_thousand_cowboys_are_refused_by_the_limit_before_any_cowboy_is_checked()
    {
        // The first cowboy is invalid too: the limit must win, which shows the count is checked first.
        var json = Cowboys(100_000).Replace("\"health\":10", "\"health\":0");
        var manifest = Manifest(json);
        RosterParser.Parse(Cowboys(3)); // warm up, so the clock measures the work and not the JIT

        var clock = Stopwatch.StartNew();
        var message = Error(json);
        var manifestMessage = Error(manifest);
        clock.Stop();

        Assert.Equal("roster: at most 1000 cowboys are allowed, got 100000", message);
        Assert.Equal("spec.cowboys: at most 1000 cowboys are allowed, got 100000", manifestMessage);
        // Both refusals together take a few hundred ms at most; the bound is generous for a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_json_object_is_neither_a_roster_nor_a_manifest()
    {
        Assert.Contains("kind is missing: expected a JSON array of cowboys or a Shootout manifest", Error("""{"name":"John","health":10,"damage":1}"""));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-roster-{Guid.NewGuid():N}.yaml");
        var message = Assert.Throws<InvalidRosterException>(() => RosterParser.ParseFile(path)).Message;
        Assert.StartsWith($"cannot read roster file \"{path}\"", message);
        AssertOneLine(message);
    }

    [Fact]
    public void A_directory_is_not_a_readable_file()
    {
        var message = Assert.Throws<InvalidRosterException>(() => RosterParser.ParseFile(AppContext.BaseDirectory)).Message;
        Assert.StartsWith("cannot read roster file", message);
    }

    [Fact]
    public void An_error_in_a_file_names_the_file_and_the_cowboy()
    {
        var path = Path.Combine(Path.GetTempPath(), $"roster-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """[{"name":"Bill","health":0,"damage":2}]""");
        try
        {
            var message = Assert.Throws<InvalidRosterException>(() => RosterParser.ParseFile(path)).Message;
            Assert.Equal($"{path}: cowboy #1 \"Bill\": health must be a whole number from 1 to 1000000000, got 0", message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Cowboys(int count)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) text.Append(',');
            text.Append("{\"name\":\"c").Append(i).Append("\",\"health\":10,\"damage\":1}");
        }
        return text.Append(']').ToString();
    }
}
