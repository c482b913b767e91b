using Akka.Event;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// Akka's stdout logger (akka.stdout-logger-class): what Akka writes before its loggers have
/// started and after they have stopped at exit. Akka's own writes its full text format at
/// akka.loglevel, whatever stdout-loglevel says, so a warning logged while a cowboy exits came
/// out as a stray text line among JSON ones. This one makes the same choice and the same line as
/// <see cref="ConsoleLineLogger"/>.
/// </summary>
public sealed class FallbackLineLogger : MinimalLogger
{
    public static readonly string Hocon = $"akka.stdout-logger-class = \"{typeof(FallbackLineLogger).FullName}, {typeof(FallbackLineLogger).Assembly.GetName().Name}\"";

    protected override void Log(object message)
    {
        if (message is LogEvent e) ConsoleLineLogger.Write(e);
    }
}
