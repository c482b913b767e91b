namespace Cowboys.Actors.Protocol;

// What a leader asks the witness of an even roster. The witness is no actor: the leader's host
// applies each request to the stored record (WitnessRecord.Handle) in one compare-and-swap.

/// <summary>Promise no lower epoch than Epoch, to this leader only.</summary>
public sealed record WitnessPrepare(long Epoch, string Leader) : IToWitness;

/// <summary>Accept the log up to Position for Epoch.</summary>
public sealed record WitnessAccept(long Epoch, Position Position) : IToWitness;
