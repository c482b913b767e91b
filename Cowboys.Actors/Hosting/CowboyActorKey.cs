using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Cowboys.Actors.Cowboy;
using Cowboys.Actors.Leader;
using Cowboys.Actors.Ring;
using Cowboys.Actors.Rules;
using Cowboys.Actors.Settings;
using Cowboys.Actors.Serialization;
using Cowboys.Actors.Telemetry;

namespace Cowboys.Actors.Hosting;

/// <summary>Marker key for the cowboy actor in the Akka.Hosting registry.</summary>
public sealed class CowboyActorKey;
