namespace Cowboys.Actors.Protocol;

/// <summary>Marker for every message that crosses the wire, so that one serializer binds them all.</summary>
public interface ICowboysMessage;
