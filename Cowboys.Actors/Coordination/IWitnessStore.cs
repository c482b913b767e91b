using Cowboys.Actors.Protocol;

namespace Cowboys.Actors.Coordination;

/// <summary>Where a game's witness record lives. Implementations must make each call atomic across processes.</summary>
public interface IWitnessStore
{
    Task<WitnessRecord> UpdateAsync(Func<WitnessRecord, WitnessRecord> change, CancellationToken cancellation);
}
