namespace Cowboys.Actors.Node.Hosting;

/// <summary>How a cowboy process writes its log: short text lines, or one JSON object a line.</summary>
public enum LogFormat
{
    Text,
    Json,
}
