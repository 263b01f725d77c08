/// The generator's own pseudo-random numbers: SplitMix64 to seed, xoshiro256** to draw.
///
/// Foundation's random numbers, `Dictionary` iteration order and the clock are never used, so the
/// same seed gives the same bytes on every run. Only +, −, ×, ÷ and comparisons are used on the
/// drawn numbers (no `exp`, `log`, `pow` from the C library, whose last bits may differ between
/// platforms).
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** 1.0 (Blackman and Vigna), seeded through SplitMix64.
public struct Rng: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// An independent stream for one named part of the data (one table, one profile), so that
    /// changing how one table is drawn does not shift the numbers of another.
    public init(seed: UInt64, stream: String) {
        self.init(seed: seed ^ Rng.fnv1a(stream))
    }

    /// FNV-1a over the UTF-8 bytes: a stable hash (Swift's `Hasher` is seeded per process).
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) <<< 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 <<< 45
        return result
    }

    /// Uniform in [0, 1), 53 bits.
    @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// Uniform integer in 0..<bound (bound > 0), by Lemire's multiply-shift (bias below 2^-64 · bound).
    @inline(__always)
    public mutating func below(_ bound: UInt64) -> UInt64 {
        bound == 0 ? 0 : next().multipliedFullWidth(by: bound).high
    }

    /// Uniform integer in the closed range.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(below(UInt64(range.upperBound - range.lowerBound + 1)))
    }

    /// Roughly normal with mean 0 and standard deviation 1 (Irwin–Hall of 6 uniforms, rescaled):
    /// bounded to ±4.24, which keeps synthetic figures away from absurd tails.
    public mutating func normal() -> Double {
        var sum = 0.0
        for _ in 0..<6 { sum += unit() }
        return (sum - 3.0) * 1.4142135623730951
    }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
}

infix operator <<< : BitwiseShiftPrecedence

@inline(__always)
func <<< (x: UInt64, k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
