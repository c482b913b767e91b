using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using AkkaLevel = Akka.Event.LogLevel;
using MelLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// Akka logger of a cowboy process. Text: one short line per event (the launcher already
/// prefixes each line with the cowboy's name, so paths and thread ids would only be noise).
/// JSON: the event handed to Microsoft.Extensions.Logging's JSON console formatter with its
/// message template and arguments, so named properties ({Beat}, {Shooter}, ...) become fields
/// of "State". Either way Akka's own INFO chatter is left out, its warnings only with --verbose,
/// and DEBUG events only with --debug.
/// </summary>
public sealed class ConsoleLineLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    // Akka creates its loggers by type, without arguments: the process sets these before the ActorSystem starts
    public static volatile bool Verbose;
    public static volatile bool Debug;

    /// <summary>Null: text lines. Set: JSON through this factory (MEL's JSON console formatter).</summary>
    public static volatile ILoggerFactory? Json;

    /// <summary>The cowboy's name, a scope on every JSON event: merged logs must say whose they are.</summary>
    public static volatile string? Cowboy;

    public ConsoleLineLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    /// <summary>Whether an event is shown at all, and at which level (Akka's errors that are only retries are shown as warnings).</summary>
    public static AkkaLevel? Shown(LogEvent e, bool verbose, bool debug)
    {
        var ours = e.LogClass?.Namespace?.StartsWith("Cowboys", StringComparison.Ordinal) == true;
        var level = e.LogLevel();
        // bootstrap reports a contact point that is still starting up as an error; it retries, so it is only noise
        // and remoting reports a peer that crashed or exited as an error; the cluster handles that, so it is a warning
        // here, also when it comes from the endpoint's supervisor ("Disassociated", an Akka.Remote exception as cause)
        if (level == AkkaLevel.ErrorLevel && (e.LogClass?.Namespace?.StartsWith("Akka.Management", StringComparison.Ordinal) == true
                                             || e.LogClass?.Namespace?.StartsWith("Akka.Remote", StringComparison.Ordinal) == true
                                             || e.Cause?.GetType().Namespace?.StartsWith("Akka.Remote", StringComparison.Ordinal) == true))
        {
            level = AkkaLevel.WarningLevel;
        }
        var threshold = ours ? (debug ? AkkaLevel.DebugLevel : AkkaLevel.InfoLevel) : verbose ? AkkaLevel.WarningLevel : AkkaLevel.ErrorLevel;
        return level < threshold ? null : level;
    }

    /// <summary>Writes one event as this process's lines look (also what <see cref="FallbackLineLogger"/> writes).</summary>
    internal static void Write(LogEvent e)
    {
        if (Shown(e, Verbose, Debug) is not { } level) return;
        if (Json is { } factory)
        {
            WriteJson(factory, e, level);
            return;
        }
        var tag = level switch
        {
            AkkaLevel.ErrorLevel => "ERROR",
            AkkaLevel.WarningLevel => "WARN ",
            AkkaLevel.InfoLevel => "INFO ",
            _ => "DEBUG",
        };
        var cause = e.Cause is null ? "" : $" ({e.Cause.GetType().Name}: {e.Cause.Message})";
        var text = $"{e.Timestamp.ToLocalTime():HH:mm:ss.fff} {tag} {e.Message}{cause}";
        if (level >= AkkaLevel.WarningLevel) Console.Error.WriteLine(text);
        else Console.Out.WriteLine(text);
    }

    private static void WriteJson(ILoggerFactory factory, LogEvent e, AkkaLevel level)
    {
        var logger = factory.CreateLogger(e.LogClass?.FullName ?? e.LogSource ?? "Akka");
        var melLevel = level switch
        {
            AkkaLevel.ErrorLevel => MelLevel.Error,
            AkkaLevel.WarningLevel => MelLevel.Warning,
            AkkaLevel.InfoLevel => MelLevel.Information,
            _ => MelLevel.Debug,
        };
        using var scope = Cowboy is { } name ? logger.BeginScope("{Cowboy}", name) : null;
        var state = e.Message is LogMessage m ? LogState.Of(m.Format, m.Parameters().ToArray(), m.ToString() ?? "") : LogState.Of("{Message}", [e.Message?.ToString()], e.Message?.ToString() ?? "");
        // this program's events carry their own id (LogEvents); Akka's own have none
        var id = e.Message is LogMessage lm && Cowboys.Actors.Telemetry.LogEvents.Of(lm.Format) is { } known ? new EventId(known.Id, known.Name) : default;
        logger.Log(melLevel, id, state, e.Cause, (st, _) => st.Message);
    }
}
