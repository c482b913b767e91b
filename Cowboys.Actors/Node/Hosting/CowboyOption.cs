namespace Cowboys.Actors.Node.Hosting;

/// <summary>
/// One option of the `cowboy` command, declared once: its name, help and default, how its text
/// sets a <see cref="CowboyOptions"/> and how a <see cref="CowboyOptions"/> writes it back.
/// </summary>
/// <param name="Name">The flag, e.g. `--port`.</param>
/// <param name="Format">The option's value as text, null when unset (a null default).</param>
/// <param name="Apply">Sets the option from its text; a <see cref="FormatException"/> whose message names the option and what it wants.</param>
/// <param name="Always">Written by <see cref="CowboyOptions.ToArgs"/> even at its default: what defines the game, so a pod's arguments show it.</param>
public sealed record CowboyOption(
    string Name,
    string Description,
    CowboyOptionKind Kind,
    Func<CowboyOptions, string?> Format,
    Func<CowboyOptions, string, CowboyOptions> Apply,
    string? HelpName = null,
    bool Required = false,
    bool Always = false)
{
    /// <summary>The default's text (null: none), as help shows it.</summary>
    public string? Default => Required ? null : Format(CowboyOptions.Defaults);

    /// <summary>This option's part of a command line for <paramref name="options"/>.</summary>
    public IEnumerable<string> Args(CowboyOptions options)
    {
        var value = Format(options);
        if (value is null || (!Always && !Required && value == Default)) return [];
        return Kind == CowboyOptionKind.Switch ? value == "true" ? [Name] : [] : [Name, value];
    }

    /// <summary>
    /// An option of type <typeparamref name="T"/>: read with <paramref name="parse"/> (null when
    /// the text is not a <typeparamref name="T"/>; then the error says the option wants
    /// <paramref name="wants"/>), written with <paramref name="write"/>.
    /// </summary>
    public static CowboyOption Of<T>(string name, string description, Func<CowboyOptions, T> get, Func<CowboyOptions, T, CowboyOptions> set,
        Func<string, (bool Ok, T Value)> parse, Func<T, string?> write, string wants, CowboyOptionKind kind = CowboyOptionKind.Value,
        string? helpName = null, bool required = false, bool always = false) =>
        new(name, description, kind, o => write(get(o)),
            (o, text) => parse(text) is (true, var value) ? set(o, value) : throw new FormatException($"{name} must be {wants}, not '{text}'"),
            helpName, required, always);
}
