using System.Text.RegularExpressions;

namespace Cowboys.Sandbox.Api.Validation;

/// <summary>
/// The name, label and annotation rules of the real API server (apimachinery's validation
/// package), with its messages word for word: each function returns the problems, empty if none.
/// </summary>
public static partial class Names
{
    public const int LabelValueMaxLength = 63;
    public const int SubdomainMaxLength = 253;
    public const int AnnotationsMaxBytes = 256 * 1024;

    private const string Dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFmt = Dns1123LabelFmt + @"(\." + Dns1123LabelFmt + ")*";
    private const string Dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string QualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFmt = "(" + QualifiedNameFmt + ")?";

    public static IReadOnlyList<string> Dns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > SubdomainMaxLength)
        {
            errors.Add(MaxLen(SubdomainMaxLength));
        }
        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            errors.Add(RegexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                Dns1123SubdomainFmt, "example.com"));
        }
        return errors;
    }

    public static IReadOnlyList<string> Dns1123Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(MaxLen(LabelValueMaxLength));
        }
        if (!Dns1123LabelRegex().IsMatch(value))
        {
            errors.Add(RegexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                Dns1123LabelFmt, "my-name", "123-abc"));
        }
        return errors;
    }

    public static IReadOnlyList<string> Dns1035Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(MaxLen(LabelValueMaxLength));
        }
        if (!Dns1035LabelRegex().IsMatch(value))
        {
            errors.Add(RegexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                Dns1035LabelFmt, "my-name", "abc-123"));
        }
        return errors;
    }

    /// <summary>RBAC names and other path-segment names: anything but ".", ".." and names with '/' or '%'.</summary>
    public static IReadOnlyList<string> PathSegmentName(string value) =>
        value is "." or ".." ? [$"may not be '{value}'"]
        : value.Contains('/') ? ["may not contain '/'"]
        : value.Contains('%') ? ["may not contain '%'"]
        : [];

    /// <summary>A label or annotation key: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63.</summary>
    public static IReadOnlyList<string> QualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    errors.Add("prefix part must be non-empty");
                }
                else
                {
                    errors.AddRange(Dns1123Subdomain(prefix).Select(e => "prefix part " + e));
                }
                break;
            default:
                return [RegexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                    QualifiedNameFmt, "MyName", "my.name", "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
        }
        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > LabelValueMaxLength)
        {
            errors.Add("name part " + MaxLen(LabelValueMaxLength));
        }
        if (!QualifiedNameRegex().IsMatch(name))
        {
            errors.Add("name part " + RegexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                QualifiedNameFmt, "MyName", "my.name", "123-abc"));
        }
        return errors;
    }

    public static IReadOnlyList<string> LabelValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(MaxLen(LabelValueMaxLength));
        }
        if (!LabelValueRegex().IsMatch(value))
        {
            errors.Add(RegexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                LabelValueFmt, "MyValue", "my_value", "12345"));
        }
        return errors;
    }

    /// <summary>Labels as ValidateLabels checks them: each key a qualified name, each value a label value.</summary>
    public static IReadOnlyList<FieldError> Labels(IEnumerable<KeyValuePair<string, string?>> labels, string field)
    {
        var errors = new List<FieldError>();
        foreach (var (key, value) in labels)
        {
            errors.AddRange(QualifiedName(key).Select(e => FieldError.Invalid(field, key, e)));
            errors.AddRange(LabelValue(value ?? "").Select(e => FieldError.Invalid(field, value ?? "", e)));
        }
        return errors;
    }

    /// <summary>Annotations: keys are qualified names (checked lower-cased), keys and values together at most 256 KiB.</summary>
    public static IReadOnlyList<FieldError> Annotations(IEnumerable<KeyValuePair<string, string?>> annotations, string field)
    {
        var errors = new List<FieldError>();
        long total = 0;
        foreach (var (key, value) in annotations)
        {
            errors.AddRange(QualifiedName(key.ToLowerInvariant()).Select(e => FieldError.Invalid(field, key, e)));
            total += key.Length + (value?.Length ?? 0);
        }
        if (total > AnnotationsMaxBytes)
        {
            errors.Add(FieldError.TooLong(field, AnnotationsMaxBytes));
        }
        return errors;
    }

    /// <summary>metadata.name by the resource's rule; metadata.generateName is checked the same way with a trailing '-' allowed.</summary>
    public static IReadOnlyList<string> ObjectName(NameRule rule, string name) => rule switch
    {
        NameRule.Subdomain => Dns1123Subdomain(name),
        NameRule.Subdomain63 => name.Length > LabelValueMaxLength ? [MaxLen(LabelValueMaxLength)] : Dns1123Subdomain(name),
        NameRule.Label1123 => Dns1123Label(name),
        NameRule.Label1035 => Dns1035Label(name),
        _ => PathSegmentName(name),
    };

    private static string MaxLen(int max) => $"must be no more than {max} characters";

    private static string RegexError(string message, string format, params string[] examples) =>
        $"{message} (e.g. {string.Join(",  or ", examples.Select(e => $"'{e}'"))}, regex used for validation is '{format}')";

    [GeneratedRegex("^" + Dns1123SubdomainFmt + @"\z")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^" + Dns1123LabelFmt + @"\z")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^" + Dns1035LabelFmt + @"\z")]
    private static partial Regex Dns1035LabelRegex();

    [GeneratedRegex("^" + QualifiedNameFmt + @"\z")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^" + LabelValueFmt + @"\z")]
    private static partial Regex LabelValueRegex();
}
