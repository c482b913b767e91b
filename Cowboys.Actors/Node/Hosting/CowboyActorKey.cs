namespace Cowboys.Actors.Node.Hosting;

/// <summary>Marker key for the cowboy actor in the Akka.Hosting registry.</summary>
public sealed class CowboyActorKey;
