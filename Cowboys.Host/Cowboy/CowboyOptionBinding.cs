using System.CommandLine;
using System.CommandLine.Parsing;
using Cowboys.Actors.Node.Hosting;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// Declared cowboy options (<see cref="CowboyOptionSet"/>) as System.CommandLine options of a
/// command, and back: `cowboy` takes them all, `play` the ones it passes on to every cowboy.
/// A bad value fails the parse with the declaration's message.
/// </summary>
public sealed class CowboyOptionBinding
{
    private readonly List<(CowboyOption Declared, Option Parsed)> _options = [];

    /// <param name="names">The declared options to take, by flag; none: all of them.</param>
    public CowboyOptionBinding(Command command, params string[] names)
    {
        foreach (var declared in CowboyOptionSet.All.Where(o => names.Length == 0 || names.Contains(o.Name)))
        {
            var parsed = ToOption(declared);
            command.Options.Add(parsed);
            _options.Add((declared, parsed));
        }
        if (names.Except(_options.Select(o => o.Declared.Name)).FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"{unknown} is not a declared cowboy option", nameof(names));
        }
    }

    /// <summary>What the command line gave, applied to <paramref name="start"/> (the defaults unless said).</summary>
    public CowboyOptions Bind(ParseResult parse, CowboyOptions? start = null) =>
        CowboyOptionSet.Parse(_options
            .Where(o => parse.GetResult(o.Parsed) is { Implicit: false })
            .Select(o => (o.Declared.Name, o.Parsed is Option<bool> flag ? (parse.GetValue(flag) ? "true" : "false") : parse.GetValue((Option<string>)o.Parsed)!)),
            start);

    private static Option ToOption(CowboyOption declared) => declared.Kind switch
    {
        CowboyOptionKind.Value => new Option<string>(declared.Name)
        {
            Description = declared.Description,
            HelpName = declared.HelpName,
            Required = declared.Required,
            DefaultValueFactory = declared.Default is { } text ? _ => text : null,
            Validators = { r => Check(declared, r) },
        },
        _ => new Option<bool>(declared.Name)
        {
            Description = declared.Description,
            HelpName = declared.HelpName,
            Arity = declared.Kind == CowboyOptionKind.Boolean ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => declared.Default == "true",
        },
    };

    private static void Check(CowboyOption declared, OptionResult result)
    {
        if (result.Tokens is not [var token]) return;
        try
        {
            declared.Apply(CowboyOptions.Defaults, token.Value);
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
        }
    }
}
