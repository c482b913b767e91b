using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using LogLevel = Akka.Event.LogLevel;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// Akka logger that writes one short line per event to stdout: the launcher already prefixes each
/// line with the cowboy's name, so paths and thread ids would only be noise. Akka's own
/// INFO chatter is left out; its warnings only with --verbose.
/// </summary>
public sealed class ConsoleLineLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public static volatile bool Verbose;

    public ConsoleLineLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private static void Write(LogEvent e)
    {
        var ours = e.LogClass?.Namespace?.StartsWith("Cowboys", StringComparison.Ordinal) == true;
        var level = e.LogLevel();
        // bootstrap reports a contact point that is still starting up as an error; it retries, so it is only noise
        // and remoting reports a peer that crashed as an error; the cluster handles that, so it is a warning here
        if (level == LogLevel.ErrorLevel && (e.LogClass?.Namespace?.StartsWith("Akka.Management", StringComparison.Ordinal) == true
                                             || e.LogClass?.Namespace?.StartsWith("Akka.Remote", StringComparison.Ordinal) == true))
        {
            level = LogLevel.WarningLevel;
        }
        if (!ours && level < (Verbose ? LogLevel.WarningLevel : LogLevel.ErrorLevel)) return;
        var tag = level switch
        {
            LogLevel.ErrorLevel => "ERROR",
            LogLevel.WarningLevel => "WARN ",
            LogLevel.InfoLevel => "INFO ",
            _ => "DEBUG",
        };
        var cause = e.Cause is null ? "" : $" ({e.Cause.GetType().Name}: {e.Cause.Message})";
        var text = $"{e.Timestamp.ToLocalTime():HH:mm:ss.fff} {tag} {e.Message}{cause}";
        if (level >= LogLevel.WarningLevel) Console.Error.WriteLine(text);
        else Console.Out.WriteLine(text);
    }
}
