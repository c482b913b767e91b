namespace Cowboys.Actors.Game.Rosters;

/// <summary>One cowboy as the roster declares him: his starting health and the damage of each shot.</summary>
public sealed record CowboySpec(string Name, int Health, int Damage);
