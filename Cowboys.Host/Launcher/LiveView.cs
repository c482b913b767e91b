using System.Collections.Immutable;
using System.Globalization;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rosters;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cowboys.Host.Launcher;

/// <summary>The live view as a pure function of a <see cref="LiveFrame"/>, so a test can render it to a string.</summary>
public static class LiveView
{
    public const int BarWidth = 20;
    public const char Full = '█';
    public const char Empty = '░';
    public const int NotesShown = 4;

    public static IRenderable Render(LiveFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var game = frame.Game;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Cowboy")
            .AddColumn("Health")
            .AddColumn(new TableColumn("").RightAligned())
            .AddColumn(game is null ? "Last beat" : $"Beat {game.Beat.ToString(CultureInfo.InvariantCulture)}")
            .AddColumn("");
        for (var i = 0; i < frame.Roster.Count; i++)
        {
            var spec = frame.Roster.Cowboys[i];
            var health = game is { Health.Length: > 0 } g && g.Health.Length == frame.Roster.Count ? g.Health[i] : spec.Health;
            var shots = game?.Shots.Where(s => s.Shooter == spec.Name).Select(s => $"→ {Markup.Escape(s.Target)} -{s.Damage.ToString(CultureInfo.InvariantCulture)}") ?? [];
            table.AddRow(
                Markup.Escape(spec.Name),
                Bar(health, spec.Health),
                $"{health.ToString(CultureInfo.InvariantCulture)}/{spec.Health.ToString(CultureInfo.InvariantCulture)}",
                string.Join(", ", shots),
                string.Join(" ", Marks(frame, spec.Name, health)));
        }
        table.Caption(Caption(frame));
        if (frame.Notes.IsEmpty) return table;
        return new Rows([table, .. frame.Notes.TakeLast(NotesShown).Select(Note)]);
    }

    /// <summary>A launcher's note, "label HH:mm:ss.fff text", with its label (chaos, play) in bold.</summary>
    private static Markup Note(string note) =>
        note.Split(' ', 2) is [var label, var rest] ? new Markup($"[bold red]{Markup.Escape(label)}[/] {Markup.Escape(rest)}") : new Markup(Markup.Escape(note));

    /// <summary>How many of the bar's cells are full: in proportion, rounded up, so a live cowboy always shows one.</summary>
    public static int FullCells(int health, int max) =>
        health <= 0 || max <= 0 ? 0 : (int)Math.Min(BarWidth, Math.Ceiling((double)health * BarWidth / max));

    private static string Bar(int health, int max)
    {
        var full = FullCells(health, max);
        var color = health * 3 > max * 2 ? "green" : health * 3 > max ? "yellow" : "red";
        return $"[{color}]{new string(Full, full)}[/][grey]{new string(Empty, BarWidth - full)}[/]";
    }

    private static IEnumerable<string> Marks(LiveFrame frame, string name, int health)
    {
        var death = frame.Game?.Deaths.FirstOrDefault(d => d.Cowboy == name);
        if (frame.Game?.Winner == name) yield return "[bold green]last man standing[/]";
        if (death is not null) yield return death.How == Death.Forfeit ? "[grey]forfeited[/]" : "[grey]dead[/]";
        else if (health <= 0) yield return "[grey]dead[/]";
        if (frame.LeaderHost == name) yield return "[bold aqua]leader[/]";
        if (frame.Unreachable.Contains(name)) yield return "[bold red]unreachable[/]";
        else if (frame.Starting.Contains(name)) yield return "[grey]starting[/]";
    }

    private static string Caption(LiveFrame frame) => frame.Game switch
    {
        null => "waiting for the cowboys",
        { Over: true, Winner: { } winner } g => $"beat {g.Beat}: {Markup.Escape(winner)} is the last man standing",
        { Over: true } g => $"beat {g.Beat}: the game is over",
        { Beat: 0 } => "waiting for the first beat",
        var g => $"beat {g.Beat}: {g.Alive} of {g.Cowboys} alive",
    };
}
