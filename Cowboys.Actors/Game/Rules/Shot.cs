namespace Cowboys.Actors.Game.Rules;

/// <summary>One shot, in the order it was applied. TargetHealth is the target's health just after it.</summary>
public sealed record Shot(int Beat, string Shooter, string Target, int Damage, int TargetHealth);
