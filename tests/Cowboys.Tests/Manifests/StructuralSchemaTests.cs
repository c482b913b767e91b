using Xunit;

namespace Cowboys.Tests.Manifests;

/// <summary>The schema validator the CRD tests rely on: it must be able to say no.</summary>
public class StructuralSchemaTests
{
    private static readonly Dictionary<string, object?> Schema = Kustomize.Documents("""
        type: object
        required: [name]
        properties:
          name: {type: string, minLength: 1, maxLength: 5}
          size: {type: integer, format: int64}
          small: {type: integer, format: int32}
          color: {type: string, enum: [red, green]}
          code: {type: string, pattern: '^[a-z]+$'}
          flag: {type: boolean}
          ratio: {type: number}
          when: {type: string, format: date-time}
          free: {type: object}
          items:
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [type]
            items:
              type: object
              required: [type]
              properties:
                type: {type: string}
                status: {type: string, enum: ["True", "False"]}
        """)[0];

    private static List<string> Errors(string yaml) => StructuralSchema.Validate(Schema, Kustomize.Documents(yaml)[0]);

    [Fact]
    public void A_value_that_fits_every_keyword_has_no_errors()
    {
        Assert.Empty(Errors("""
            name: abc
            size: 9223372036854775807
            small: -2147483648
            color: green
            code: abc
            flag: true
            ratio: 1.5
            when: "2026-11-26T09:26:00Z"
            free: {anything: [1, 2], goes: here}
            items: [{type: A, status: "True"}, {type: B}]
            """));
    }

    [Theory]
    [InlineData("size: 1", "name: required")]
    [InlineData("name: ~", "name: required")]
    [InlineData("name: ''", "name: shorter than 1")]
    [InlineData("name: abcdef", "name: longer than 5")]
    [InlineData("name: 42", "name: expected string, got integer 42")]
    [InlineData("{name: a, size: '42'}", "size: expected integer, got string \"42\"")]
    [InlineData("{name: a, size: 4.2}", "size: expected integer, got number 4.2")]
    [InlineData("{name: a, size: 9223372036854775808}", "size: 9223372036854775808 does not fit in a 64-bit integer")]
    [InlineData("{name: a, small: 2147483648}", "small: 2147483648 does not fit in a 32-bit integer")]
    [InlineData("{name: a, color: blue}", "color: string \"blue\" is not one of [red, green]")]
    [InlineData("{name: a, code: ABC}", "code: \"ABC\" does not match")]
    [InlineData("{name: a, flag: 'true'}", "flag: expected boolean")]
    [InlineData("{name: a, ratio: x}", "ratio: expected number")]
    [InlineData("{name: a, when: yesterday}", "when: \"yesterday\" is not an RFC 3339 date-time")]
    [InlineData("{name: a, colour: red}", "colour: unknown field")]
    [InlineData("{name: a, free: 1}", "free: expected object")]
    [InlineData("{name: a, items: {type: A}}", "items: expected array")]
    [InlineData("{name: a, items: [{status: 'True'}]}", "items[0].type: required")]
    [InlineData("{name: a, items: [{type: A, status: true}]}", "items[0].status: expected string, got boolean true")]
    [InlineData("{name: a, items: [{type: A}, {type: A}]}", "items: duplicate entries for key (type=A)")]
    public void A_value_that_breaks_one_keyword_is_rejected_with_its_path(string yaml, string expected)
    {
        var errors = Errors(yaml);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_schema_keyword_the_validator_does_not_check_throws_instead_of_accepting()
    {
        var schema = Kustomize.Documents("type: object\nproperties:\n  n: {type: integer, maximum: 3}\n")[0];
        var value = Kustomize.Documents("n: 4\n")[0];
        var e = Assert.Throws<NotSupportedException>(() => StructuralSchema.Validate(schema, value));
        Assert.Contains("maximum", e.Message);
    }
}
