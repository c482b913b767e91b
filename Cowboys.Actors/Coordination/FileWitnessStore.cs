using System.Text.Json;
using Cowboys.Actors.Protocol;

namespace Cowboys.Actors.Coordination;

/// <summary>
/// The witness of an even roster on one machine: a small JSON file that every cowboy process of
/// the game can see, changed only while holding an exclusive lock on it (flock), so each change
/// is a compare-and-swap across processes. The lock is dropped by the operating system if its
/// holder dies mid-change.
/// </summary>
public sealed class FileWitnessStore(string path) : IWitnessStore
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(5);

    public async Task<WitnessRecord> UpdateAsync(Func<WitnessRecord, WitnessRecord> change, CancellationToken cancellation)
    {
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(RetryEvery, cancellation); // another process holds the lock
                continue;
            }
            await using (file)
            {
                var current = WitnessRecord.Empty;
                if (file.Length > 0)
                {
                    var stored = await JsonSerializer.DeserializeAsync<Stored>(file, cancellationToken: cancellation);
                    if (stored is not null) current = new WitnessRecord(stored.Promised, stored.PromisedTo, new Position(stored.AcceptedEpoch, stored.AcceptedBeat));
                }
                var next = change(current);
                if (next != current)
                {
                    file.SetLength(0);
                    await JsonSerializer.SerializeAsync(file, new Stored(next.Promised, next.PromisedTo, next.Accepted.Epoch, next.Accepted.Beat), cancellationToken: cancellation);
                    await file.FlushAsync(cancellation);
                }
                return next;
            }
        }
    }

    private sealed record Stored(long Promised, string? PromisedTo, long AcceptedEpoch, int AcceptedBeat);
}
