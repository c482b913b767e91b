using Cowboys.Sandbox.Workloads;
using Xunit;

namespace Cowboys.Tests.Sandbox;

public sealed class ExecCommandTests
{
    private const string Host = "/repo/Cowboys.Host/bin/Debug/net10.0/Cowboys.Host";

    [Theory]
    [InlineData("/app/Cowboys.Host.dll")]
    [InlineData("Cowboys.Host.dll")]
    [InlineData("./Cowboys.Host.dll")]
    public void The_images_entrypoint_runs_the_executable_the_image_stands_for_with_the_rest_as_arguments(string dll)
    {
        var (executable, arguments) = ExecCommand.For(["dotnet", dll, "cluster", "show"], Host);

        Assert.Equal(Host, executable);
        Assert.Equal(["cluster", "show"], arguments);
    }

    [Theory]
    [InlineData("dotnet", "/app/Other.dll")]
    [InlineData("dotnet", "/elsewhere/Cowboys.Host.dll")]
    [InlineData("sh", "/app/Cowboys.Host.dll")]
    public void Any_other_command_runs_as_given(string first, string second)
    {
        var (executable, arguments) = ExecCommand.For([first, second, "x"], Host);

        Assert.Equal(first, executable);
        Assert.Equal([second, "x"], arguments);
    }

    [Fact]
    public void An_empty_command_is_refused_as_the_api_server_refuses_it() =>
        Assert.Equal("you must specify at least 1 command", Assert.Throws<ArgumentException>(() => ExecCommand.For([], Host)).Message);
}
