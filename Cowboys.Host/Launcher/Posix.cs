using System.Runtime.InteropServices;

namespace Cowboys.Host.Launcher;

/// <summary>
/// The two libc calls .NET does not wrap: signals (a polite SIGTERM, a freeze, a kill of a whole
/// process group), and asking who our parent is. The one declaration of kill(2) in the
/// repository: the tests and the sandbox's kubelet use it too.
/// </summary>
public static partial class Posix
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int GetParentPid();
}
