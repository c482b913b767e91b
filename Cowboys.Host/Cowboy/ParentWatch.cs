using Cowboys.Host.Launcher;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// Ends this process as soon as its launcher is gone, even if the launcher was SIGKILLed and
/// could not stop it: an orphan is re-parented, so getppid() changes.
/// </summary>
public sealed class ParentWatch(int parentPid) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // a second is soon enough for an orphan, and each tick wakes the process
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (Posix.GetParentPid() != parentPid)
            {
                await Console.Error.WriteLineAsync("the launcher is gone: exiting");
                Environment.Exit(CowboyCommand.Failed);
            }
        }
    }
}
