namespace Cowboys.Actors.Protocol;

/// <summary>Where a game's witness record lives. Implementations must make each call atomic across processes.</summary>
public interface IWitnessStore
{
    Task<WitnessRecord> UpdateAsync(Func<WitnessRecord, WitnessRecord> change, CancellationToken cancellation);
}
