using Akka.Actor;
using Akka.Coordination;

namespace Cowboys.Actors.Coordination;

/// <summary>
/// The Split Brain Resolver's tie-breaker on one machine: an exclusive lock on a file that every
/// cowboy process of the game can see. The operating system drops the lock when its holder dies,
/// so a crashed member never keeps it. (In Kubernetes the same role belongs to a Lease object.)
/// </summary>
public sealed class FileLease : Lease
{
    private readonly string _path;
    private readonly object _gate = new();
    private FileStream? _held;

    public FileLease(LeaseSettings settings, ExtendedActorSystem system) : base(settings)
    {
        _path = settings.LeaseConfig.GetString("path");
        // an ActorSystem that stops (or is aborted) must not go on holding the tie-break
        system.WhenTerminated.ContinueWith(_ => Release());
    }

    public override Task<bool> Acquire()
    {
        lock (_gate)
        {
            if (_held is not null) return Task.FromResult(true);
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix, per open file
                _held = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                _held.SetLength(0);
                var owner = System.Text.Encoding.UTF8.GetBytes(Settings.OwnerName + "\n");
                _held.Write(owner);
                _held.Flush();
                return Task.FromResult(true);
            }
            catch (IOException)
            {
                return Task.FromResult(false);
            }
        }
    }

    public override Task<bool> Acquire(Action<Exception> leaseLostCallback) => Acquire();

    public override Task<bool> Release()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
            return Task.FromResult(true);
        }
    }

    public override bool CheckLease()
    {
        lock (_gate) return _held is not null;
    }
}
