import Foundation

/// Deterministic test signals: speech-like (vowels with a pitch contour), tones, chirps and noise bursts,
/// as 16-bit samples. Everything is seeded, so the same call always gives the same samples.
public enum Signals {
    /// A sine tone of `frequency` Hz and peak `amplitude`, `count` samples at `sampleRate`.
    public static func tone(
        frequency: Double,
        amplitude: Double = 10000,
        count: Int,
        sampleRate: Int,
        phase: Double = 0
    ) -> [Int16] {
        (0..<count).map { n in
            clip(amplitude * sin(2 * .pi * frequency * Double(n) / Double(sampleRate) + phase))
        }
    }

    /// A linear chirp from `startFrequency` to `endFrequency` Hz over `count` samples.
    public static func chirp(
        from startFrequency: Double,
        to endFrequency: Double,
        amplitude: Double = 10000,
        count: Int,
        sampleRate: Int
    ) -> [Int16] {
        let duration = Double(count) / Double(sampleRate)
        let rate = (endFrequency - startFrequency) / duration
        return (0..<count).map { n in
            let t = Double(n) / Double(sampleRate)
            return clip(amplitude * sin(2 * .pi * (startFrequency * t + rate * t * t / 2)))
        }
    }

    /// A vowel-like voiced signal: harmonics of a fundamental that glides between `pitch` ± 10 % (a slow
    /// intonation contour), shaped by three formant resonances (roughly /a/: 700, 1200, 2600 Hz), with a
    /// syllable-rate (4 Hz) amplitude envelope. Peak about `amplitude`.
    public static func vowel(
        pitch: Double = 120,
        amplitude: Double = 12000,
        count: Int,
        sampleRate: Int,
        formants: [Double] = [700, 1200, 2600]
    ) -> [Int16] {
        let nyquist = Double(sampleRate) / 2
        var phase = 0.0
        var raw = [Double](repeating: 0, count: count)
        for n in 0..<count {
            let t = Double(n) / Double(sampleRate)
            let f0 = pitch * (1 + 0.1 * sin(2 * .pi * 0.7 * t))
            phase += 2 * .pi * f0 / Double(sampleRate)
            var value = 0.0
            var harmonic = 1
            while Double(harmonic) * f0 < min(nyquist * 0.9, 7000) {
                let frequency = Double(harmonic) * f0
                // Formant weighting: sum of resonance peaks (bandwidth ~ 100–200 Hz), with a −6 dB/octave
                // glottal tilt.
                var weight = 0.0
                for (index, formant) in formants.enumerated() {
                    let bandwidth = 80.0 + 60.0 * Double(index)
                    let distance = (frequency - formant) / bandwidth
                    weight += 1 / (1 + distance * distance) / Double(index + 1)
                }
                value += weight / Double(harmonic).squareRoot() * sin(Double(harmonic) * phase)
                harmonic += 1
            }
            let envelope = 0.55 + 0.45 * sin(2 * .pi * 4 * t)
            raw[n] = value * envelope
        }
        let peak = raw.map(abs).max() ?? 1
        return raw.map { clip($0 / max(peak, 1e-9) * amplitude) }
    }

    /// A periodic, steady vowel (constant pitch, no envelope): what packet loss concealment assumes.
    public static func steadyVowel(
        pitch: Double = 125,
        amplitude: Double = 10000,
        count: Int,
        sampleRate: Int
    )
        -> [Int16]
    {
        var values = [Double](repeating: 0, count: count)
        let harmonics = Int(min(3400, Double(sampleRate) / 2 * 0.9) / pitch)
        for n in 0..<count {
            let phase = 2 * .pi * pitch * Double(n) / Double(sampleRate)
            var value = 0.0
            for harmonic in 1...harmonics {
                let frequency = Double(harmonic) * pitch
                let distance = (frequency - 800) / 300
                value += (1 / (1 + distance * distance) + 0.1) / Double(harmonic) * sin(Double(harmonic) * phase)
            }
            values[n] = value
        }
        let peak = values.map(abs).max() ?? 1
        return values.map { clip($0 / max(peak, 1e-9) * amplitude) }
    }

    /// White noise bursts (uniform, seeded): `burst` samples of noise at peak `amplitude`, then `burst`
    /// samples of silence, repeated over `count` samples.
    public static func noiseBursts(
        amplitude: Double = 8000,
        burst: Int,
        count: Int,
        seed: UInt64 = 0x5EED
    ) -> [Int16] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { n in
            let uniform = Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1
            return (n / burst) % 2 == 0 ? clip(uniform * amplitude) : 0
        }
    }

    /// Signal-to-noise ratio in dB of `actual` against `reference` over `range`, after shifting `actual`
    /// back by `delay` samples (the codec's delay).
    public static func snr(reference: [Int16], actual: [Int16], delay: Int = 0, range: Range<Int>) -> Double {
        var signal = 0.0
        var noise = 0.0
        for n in range where n + delay < actual.count && n < reference.count {
            let expected = Double(reference[n])
            signal += expected * expected
            let error = Double(actual[n + delay]) - expected
            noise += error * error
        }
        return 10 * log10(signal / max(noise, 1e-9))
    }

    static func clip(_ value: Double) -> Int16 {
        Int16(max(-32768, min(32767, value.rounded())))
    }
}
