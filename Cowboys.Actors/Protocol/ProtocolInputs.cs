namespace Cowboys.Actors.Protocol;

/// <summary>What a cowboy's replica (<see cref="ReplicaMachine"/>) takes in: a leader's request.</summary>
public interface IToReplica;

/// <summary>What the leader (<see cref="LeaderMachine"/>) takes in: a replica's or the witness's answer.</summary>
public interface IToLeader;

/// <summary>What the witness (<see cref="WitnessRecord"/>) takes in: a leader's request.</summary>
public interface IToWitness;
