using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Cowboys.Tests.Actors.Node;

/// <summary>Sends every node's log to the test's output, prefixed with the node's name, so a failing spec shows what happened.</summary>
public sealed class XunitLoggerProvider(ITestOutputHelper output, string prefix, System.Collections.Concurrent.ConcurrentQueue<string>? sink = null) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, prefix, sink);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string prefix, System.Collections.Concurrent.ConcurrentQueue<string>? sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            sink?.Enqueue(formatter(state, exception));
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {prefix,-8} {logLevel,-11} {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // the test already finished; its output is closed
            }
        }
    }
}
