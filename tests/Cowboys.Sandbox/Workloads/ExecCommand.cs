namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// What `kubectl exec POD -- ARGV` runs on this node. The repository's images are framework-
/// dependent .NET images whose entrypoint is `dotnet PROGRAM.dll` in /app; here an image is its
/// built executable, so `dotnet [/app/]PROGRAM.dll ARGS` runs that executable with ARGS. Any
/// other command runs as given, found on the container's PATH as a runtime would. Pure.
/// </summary>
public static class ExecCommand
{
    /// <summary>The working directory of the repository's images (their Dockerfiles' WORKDIR).</summary>
    public const string ImageWorkingDirectory = "/app";

    /// <param name="argv">The exec's command, as kubectl sends it (one `command` parameter per word).</param>
    /// <param name="imageExecutable">The executable the pod's image stands for.</param>
    /// <returns>The executable and its arguments.</returns>
    /// <exception cref="ArgumentException">An empty command: the message says so, as the API server's does.</exception>
    public static (string Executable, IReadOnlyList<string> Arguments) For(IReadOnlyList<string> argv, string imageExecutable)
    {
        if (argv.Count == 0 || argv[0].Length == 0) throw new ArgumentException("you must specify at least 1 command");
        var program = Path.GetFileName(imageExecutable) + ".dll";
        if (argv is [var dotnet, var dll, ..] && Path.GetFileName(dotnet) == "dotnet" && IsImageProgram(dll, program))
        {
            return (imageExecutable, [.. argv.Skip(2)]);
        }
        return (argv[0], [.. argv.Skip(1)]);
    }

    private static bool IsImageProgram(string path, string program) =>
        path == program || path == $"./{program}" || path == $"{ImageWorkingDirectory}/{program}";
}
