namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// Which local executable a container image stands for. There are no images and no registry:
/// an image the map does not know leaves its pod waiting with ErrImagePull, as a node that cannot
/// pull it would.
/// </summary>
public sealed class ImageMap
{
    private readonly Dictionary<string, string> _images;

    public ImageMap(IReadOnlyDictionary<string, string> images) => _images = new(images, StringComparer.Ordinal);

    /// <summary>The repository's own images: cowboys:dev is Cowboys.Host, cowboys-operator:dev is Cowboys.Operator, found among the built outputs.</summary>
    public static ImageMap Default()
    {
        var images = new Dictionary<string, string>();
        foreach (var (image, program) in new[] { ("cowboys:dev", "Cowboys.Host"), ("cowboys-operator:dev", "Cowboys.Operator") })
        {
            if (FindBuilt(program) is { } path) images[image] = path;
        }
        return new ImageMap(images);
    }

    /// <summary>This map with more entries (later ones win).</summary>
    public ImageMap With(IEnumerable<KeyValuePair<string, string>> more)
    {
        var images = new Dictionary<string, string>(_images);
        foreach (var (k, v) in more) images[k] = v;
        return new ImageMap(images);
    }

    /// <summary>Parses `IMAGE=PATH` as given to `--image`; the message names what is wrong.</summary>
    public static KeyValuePair<string, string> ParseEntry(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1) throw new FormatException($"--image wants IMAGE=PATH (e.g. cowboys:dev=/path/Cowboys.Host), not \"{text}\"");
        var path = Path.GetFullPath(text[(eq + 1)..]);
        if (!File.Exists(path)) throw new FormatException($"--image {text[..eq]}: no executable at {path}");
        return new(text[..eq], path);
    }

    public string? Resolve(string image) => _images.GetValueOrDefault(image);

    public IReadOnlyDictionary<string, string> Entries => _images;

    /// <summary>Beside this program (a project that references the executable's project gets a copy), else in the repository's bin folders.</summary>
    private static string? FindBuilt(string program)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, program);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, program);
            if (!File.Exists(Path.Combine(project, program + ".csproj"))) continue;
            return new[] { "Debug", "Release" }
                .Select(c => Path.Combine(project, "bin", c, "net10.0", program))
                .Where(File.Exists)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
        }
        return null;
    }
}
