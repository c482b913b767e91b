using System.Runtime.InteropServices;

namespace Cowboys.Host.Launcher;

/// <summary>The two libc calls .NET does not wrap: a polite SIGTERM, and asking who our parent is.</summary>
internal static partial class Posix
{
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int GetParentPid();
}
