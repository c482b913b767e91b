using System.Text;

namespace Cowboys.Actors.Game.Rules;

/// <summary>
/// Each cowboy's own random stream, seeded by (seed, beat, his name): the same seed always gives
/// the same game, whatever the order or timing in which messages arrive.
/// SplitMix64 is used instead of System.Random because its output is fixed by its definition,
/// not by a runtime version.
/// </summary>
public static class TargetPicker
{
    /// <summary>Picks an index in [0, candidateCount).</summary>
    public static int Pick(long seed, int beat, string shooter, int candidateCount)
    {
        if (candidateCount <= 0) throw new ArgumentOutOfRangeException(nameof(candidateCount), "nobody to shoot at");
        var state = Mix((ulong)seed) ^ Mix((ulong)beat + 0x632BE59BD9B4E019UL) ^ Fnv1a(shooter);
        var draw = Mix(state);
        // Lemire's multiply-shift: unbiased enough for counts far below 2^32, and no modulo bias.
        return (int)(((UInt128)draw * (ulong)candidateCount) >> 64);
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }
}
