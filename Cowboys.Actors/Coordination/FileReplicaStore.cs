using System.Text.Json;
using Cowboys.Actors.Protocol;

namespace Cowboys.Actors.Coordination;

/// <summary>
/// Where a replica keeps its promise and its beats across a restart of its process: one
/// append-only file of JSON lines, written before the replica answers. A record reaches the
/// operating system before the answer leaves, so a killed process (SIGKILL, a crash) loses
/// nothing; it is not fsynced, because on one machine a power loss takes every replica at once.
/// </summary>
public sealed class FileReplicaStore : IDisposable
{
    private const string FileName = "replica.jsonl";
    private readonly FileStream _file;
    private readonly StreamWriter _writer;

    public FileReplicaStore(string directory)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, FileName);
        Loaded = Read(Path);
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(_file) { AutoFlush = false };
    }

    public string Path { get; }

    /// <summary>What the file held when the process started.</summary>
    public StoredReplica Loaded { get; }

    public void StorePromise(long epoch, string? leader) => Write(new Line(epoch, leader, null));

    public void StoreEntries(IEnumerable<BeatEntry> entries)
    {
        foreach (var entry in entries) Write(new Line(null, null, entry));
    }

    private void Write(Line line)
    {
        _writer.WriteLine(JsonSerializer.Serialize(line));
        _writer.Flush(); // to the operating system, before the reply is sent
    }

    private static StoredReplica Read(string path)
    {
        if (!File.Exists(path)) return StoredReplica.Empty;
        long promised = 0;
        string? promisedTo = null;
        var entries = new List<BeatEntry>();
        foreach (var text in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            Line? line;
            try
            {
                line = JsonSerializer.Deserialize<Line>(text);
            }
            catch (JsonException)
            {
                break; // a line cut short by a crash mid-write: everything before it stands
            }
            if (line?.Promised is { } p && p >= promised)
            {
                promised = p;
                promisedTo = line.Leader;
            }
            if (line?.Entry is { } e)
            {
                if (e.Beat <= entries.Count) entries[e.Beat - 1] = e;
                else if (e.Beat == entries.Count + 1) entries.Add(e);
                else throw new InvalidDataException($"{path}: beat {e.Beat} follows beat {entries.Count}");
            }
        }
        return new StoredReplica(promised, promisedTo, entries);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Dispose();
    }

    private sealed record Line(long? Promised, string? Leader, BeatEntry? Entry);
}
