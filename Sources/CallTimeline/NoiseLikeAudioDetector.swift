import AudioCodecs

/// Pass 1 evidence (d) of SPEC §2.4, the last guard: a G.711 stream whose decoded audio is loud white noise for
/// most of its length is ciphertext read as audio (SRTP without its tag noticed, or a cipher without one).
///
/// Windows of at least 640 samples (80 ms) from consecutive packets are decoded with both laws (the codec may be
/// resolved only later): back to back for the first 16 windows (so a call of a second or two is judged), then one
/// starting every 25 packets, every 250 after the first 1,000 windows. A window
/// is noise when it is loud — RMS ≥ 7000, about −13 dBFS — and spectrally flat — the normalized autocorrelation
/// r(k) = Σ x[n]·x[n−k] / Σ x[n]² is below 0.2 in magnitude at lags 1 to 4. The stream is noise when at least
/// 8 windows were analysed and three quarters of them are.
///
/// Why these figures (measured on the real captures of ../shared/testdata, see the tests): uniformly random
/// G.711 codes decode to RMS 10,138 (µ-law) and 10,216 (A-law), and no 640-sample window of them fell below 8,500
/// in 20,000 draws, while their |r(k)| stays under 0.1 (the standard error is 1/√640 ≈ 0.04). Speech, music, DTMF
/// and in-band tones are correlated: the loudest clear windows measured (RMS 4,000–5,700) have max |r(k)| above
/// 0.3, and a pure tone has |r(k)| near 1 at some lag of 1 to 4; the white background noise that clear streams do
/// carry (and comfort noise) is quiet (RMS 8–100).
public struct NoiseLikeAudioDetector: Sendable {
    public static let minimumRMS = 7000.0
    public static let maximumCorrelation = 0.2
    static let windowSamples = 640
    static let minimumWindows = 8
    static let windowLimit = 4000

    private var codes: [UInt8] = []
    private var lastSequence: UInt16?
    private var packets = 0
    public private(set) var windows = 0
    public private(set) var noiseWindowsMuLaw = 0
    public private(set) var noiseWindowsALaw = 0

    public init() {}

    /// Notes a packet's payload (in arrival order).
    public mutating func add(sequenceNumber: UInt16, payload: some Collection<UInt8>) {
        defer {
            lastSequence = sequenceNumber
            packets += 1
        }
        guard windows < Self.windowLimit, payload.count >= 40 else {
            codes.removeAll(keepingCapacity: true)
            return
        }
        if !codes.isEmpty, sequenceNumber != lastSequence.map({ $0 &+ 1 }) { codes.removeAll(keepingCapacity: true) }
        let stride = windows < 16 ? 1 : windows < 1000 ? 25 : 250
        guard !codes.isEmpty || packets % stride == 0 else { return }
        codes.append(contentsOf: payload)
        guard codes.count >= Self.windowSamples else { return }
        windows += 1
        if Self.isNoise(codes, table: G711.muLawToLinear) { noiseWindowsMuLaw += 1 }
        if Self.isNoise(codes, table: G711.aLawToLinear) { noiseWindowsALaw += 1 }
        codes.removeAll(keepingCapacity: true)
    }

    /// The evidence for the stream decoded with `law`, when it is noise.
    public func finding(law: G711Law) -> NoiseFinding? {
        let noise = law == .muLaw ? noiseWindowsMuLaw : noiseWindowsALaw
        guard windows >= Self.minimumWindows, noise * 4 >= windows * 3 else { return nil }
        return NoiseFinding(codec: law == .muLaw ? "PCMU" : "PCMA", noiseWindows: noise, windows: windows)
    }

    /// Loud and flat: exact integer sums (a window's energy stays below 2^41), compared without division.
    static func isNoise(_ codes: [UInt8], table: (UInt8) -> Int16) -> Bool {
        let samples = codes.map { Int64(table($0)) }
        var energy: Int64 = 0
        for sample in samples { energy += sample * sample }
        let minimum = minimumRMS * minimumRMS * Double(samples.count)
        guard Double(energy) >= minimum else { return false }
        for lag in 1...4 {
            var cross: Int64 = 0
            for index in lag..<samples.count { cross += samples[index] * samples[index - lag] }
            // |r(k)| < 0.2  ⇔  5·|cross| < energy.
            guard 5 * abs(cross) < energy else { return false }
        }
        return true
    }
}
