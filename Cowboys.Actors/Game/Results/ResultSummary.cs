using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Game.Results;

/// <summary>
/// What a cowboy pod leaves in its termination message (/dev/termination-log) and the operator
/// reads back: the game's outcome, small enough for the kubelet's 4096-byte limit. Every pod of
/// a game writes the same summary, so the operator can check they agree
/// (docs/decisions/0007-result-through-termination-messages.md).
/// <code>
/// {"v":1,"outcome":"finished","shootout":s|null,"winner":s|null,"beats":n,"alive":n,"cowboys":n,
///  "rules":"sequential","seed":n,"deaths":[{"cowboy":s,"beat":n,"how":"shot"|"forfeit"}],"deathsOmitted":n}
/// {"v":1,"outcome":"aborted","reason":s}
/// </code>
/// </summary>
public sealed record ResultSummary(
    string Outcome,
    string? Shootout,
    string? Winner,
    int Beats,
    int Alive,
    int Cowboys,
    RuleSet Rules,
    long Seed,
    ImmutableArray<Death> Deaths,
    int DeathsOmitted,
    string? Reason)
{
    public const string Finished = "finished";
    public const string Aborted = "aborted";

    /// <summary>The kubelet keeps at most this many bytes of a termination message.</summary>
    public const int MaxBytes = 4096;

    private const int ReasonBytes = 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool IsFinished => Outcome == Finished;

    /// <summary>Deaths in the order they happened: shots that killed, and forfeits.</summary>
    public static ImmutableArray<Death> DeathsOf(GameResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Shots.Select(s => s.Beat).Concat(result.Events.Select(e => e.Beat)).Distinct().Order()
            .SelectMany(beat => Death.InBeat(beat, result.Events, result.Shots))];
    }

    public static ResultSummary Of(GameResult result)
    {
        var deaths = DeathsOf(result);
        return new ResultSummary(Finished, result.Shootout, result.Winner, result.Beats,
            result.Cowboys.Count(c => c.Health > 0), result.Cowboys.Length, result.Rules, result.Seed, deaths, 0, null);
    }

    public static ResultSummary OfAbort(string reason) =>
        new(Aborted, null, null, 0, 0, 0, RuleSet.Sequential, 0, ImmutableArray<Death>.Empty, 0, reason);

    /// <summary>The JSON, never more than <see cref="MaxBytes"/> bytes: the latest deaths that do not fit are counted, not listed.</summary>
    public string Write()
    {
        if (!IsFinished) return Render(this with { Reason = Truncate(Reason ?? "", ReasonBytes) });
        var kept = Deaths.Length;
        while (true)
        {
            var text = Render(this with { Deaths = Deaths[..kept], DeathsOmitted = DeathsOmitted + Deaths.Length - kept });
            if (Encoding.UTF8.GetByteCount(text) <= MaxBytes) return text;
            kept = kept == 0 ? throw new InvalidOperationException("a summary without deaths must fit") : Math.Max(0, kept - Math.Max(1, kept / 8));
        }
    }

    private static string Render(ResultSummary s)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("outcome", s.Outcome);
            if (s.IsFinished)
            {
                w.WriteString("shootout", Truncate(s.Shootout, 253));
                w.WriteString("winner", s.Winner);
                w.WriteNumber("beats", s.Beats);
                w.WriteNumber("alive", s.Alive);
                w.WriteNumber("cowboys", s.Cowboys);
                w.WriteString("rules", s.Rules.ToWire());
                w.WriteNumber("seed", s.Seed);
                Death.WriteAll(w, s.Deaths);
                w.WriteNumber("deathsOmitted", s.DeathsOmitted);
            }
            else
            {
                w.WriteString("reason", s.Reason);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a termination message; null when it is not a summary (e.g. a crash's last log lines).</summary>
    public static ResultSummary? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || v.GetInt32() != 1) return null;
            var outcome = root.GetProperty("outcome").GetString();
            if (outcome == Aborted) return OfAbort(root.GetProperty("reason").GetString() ?? "");
            if (outcome != Finished) return null;
            if (!RuleSetNames.TryParse(root.GetProperty("rules").GetString(), out var rules)) return null;
            var deaths = Death.ReadAll(root);
            return new ResultSummary(Finished,
                root.GetProperty("shootout").GetString(),
                root.GetProperty("winner").GetString(),
                root.GetProperty("beats").GetInt32(),
                root.GetProperty("alive").GetInt32(),
                root.GetProperty("cowboys").GetInt32(),
                rules,
                root.GetProperty("seed").GetInt64(),
                deaths,
                root.GetProperty("deathsOmitted").GetInt32(),
                null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>Same game, same end: what two pods' summaries must share (deaths may be cut differently only if equal).</summary>
    public bool AgreesWith(ResultSummary other) =>
        Outcome == other.Outcome && Winner == other.Winner && Beats == other.Beats && Alive == other.Alive
        && Cowboys == other.Cowboys && Rules == other.Rules && Seed == other.Seed && Reason == other.Reason
        && Deaths.SequenceEqual(other.Deaths) && DeathsOmitted == other.DeathsOmitted;

    private static string? Truncate(string? s, int maxBytes)
    {
        if (s is null || Encoding.UTF8.GetByteCount(s) <= maxBytes) return s;
        var end = s.Length;
        while (end > 0 && Encoding.UTF8.GetByteCount(s.AsSpan(0, end)) > maxBytes - 3) end--;
        if (end > 0 && char.IsHighSurrogate(s[end - 1])) end--;
        return string.Concat(s.AsSpan(0, end), "...");
    }
}
