using Akka.Actor;
using Akka.Configuration;
using Cowboys.Host.Cowboy;
using Xunit;

namespace Cowboys.Tests.Host.Cowboy;

public sealed class FallbackLineLoggerTests
{
    [Fact]
    public async Task Akka_writes_through_it_before_its_loggers_start_and_after_they_stop()
    {
        var system = ActorSystem.Create("fallback", ConfigurationFactory.ParseString(FallbackLineLogger.Hocon));
        try
        {
            Assert.IsType<FallbackLineLogger>(system.Settings.StdoutLogger);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
