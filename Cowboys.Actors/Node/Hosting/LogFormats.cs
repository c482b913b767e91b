namespace Cowboys.Actors.Node.Hosting;

public static class LogFormats
{
    /// <summary>
    /// The format asked for wins; without one, JSON in a pod (the kubelet sets
    /// KUBERNETES_SERVICE_HOST in every container), so log pipelines get fields; text elsewhere.
    /// </summary>
    public static LogFormat Resolve(LogFormat? asked, string? kubernetesServiceHost) =>
        asked ?? (string.IsNullOrEmpty(kubernetesServiceHost) ? LogFormat.Text : LogFormat.Json);

    public static bool TryParse(string text, out LogFormat format)
    {
        switch (text)
        {
            case "text":
                format = LogFormat.Text;
                return true;
            case "json":
                format = LogFormat.Json;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string ToWire(this LogFormat format) => format == LogFormat.Json ? "json" : "text";
}
