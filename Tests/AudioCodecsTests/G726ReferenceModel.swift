/// A second, plain writing of the ITU-T G.726 decoder (uniform PCM output, Annex A), block by block, with switches
/// that each turn one known deviation of ffmpeg's `g726`/`g726le` decoders (libavcodec/g726.c, ffmpeg 5.1) on.
///
/// With no switch it is the Recommendation, and must equal `G726Decoder`; with all of them it must equal ffmpeg
/// sample for sample. So every difference between `G726Decoder` and ffmpeg is one of these, each a departure of
/// ffmpeg from the clause named.
struct G726ReferenceModel {
    /// ffmpeg's departures from ITU-T G.726.
    struct Deviations: OptionSet, Hashable, CustomStringConvertible {
        let rawValue: Int

        /// §4.2.4 MIX forms y = yl>>6 + sign(yu − yl>>6) · ((|yu − yl>>6| · al) >> 6): the product's magnitude is
        /// truncated. ffmpeg computes (yl + (yu − yl>>6) · al) >> 6 from the whole 19-bit yl, a floor that also
        /// takes yl's 6 low bits: y is one higher whenever those bits and the product's fraction carry, while
        /// the speed control al is between 0 and 1.
        static let mixRounding = Deviations(rawValue: 1)
        /// §4.2.6 UPB: the sixth-order coefficients leak by 2^-9 at 40 kbit/s (2^-8 at the other rates). ffmpeg
        /// leaks by 2^-8 at every rate, so every 40 kbit/s stream drifts.
        static let zeroLeakAt40 = Deviations(rawValue: 2)
        /// §4.2.6 word lengths: ACCUM sums modulo 2^16, ADDC takes the sign of DQ + SEZ modulo 2^16, UPB keeps the
        /// coefficients modulo 2^16, FMULT's product magnitude is 15 bits, FLOATB gives −32768 magnitude 0. ffmpeg
        /// computes in `int` (only the FMULT product and SR are cut to 16 bits), which departs when a hostile or
        /// random stream drives the predictor to its limits.
        static let wordLengths = Deviations(rawValue: 4)
        /// Annex A, block LIMO: the output is SR limited to 14 bits. ffmpeg outputs SR × 4 clipped to ±65535 and
        /// cut to 16 bits, so an SR beyond ±8191 wraps around instead of saturating.
        static let outputWrap = Deviations(rawValue: 8)

        static let ffmpeg: Deviations = [.mixRounding, .zeroLeakAt40, .wordLengths, .outputWrap]
        static let each: [Deviations] = [.mixRounding, .zeroLeakAt40, .wordLengths, .outputWrap]

        var description: String {
            switch self {
            case .mixRounding: "MIX rounding (§4.2.4)"
            case .zeroLeakAt40: "UPB leak at 40 kbit/s (§4.2.6)"
            case .wordLengths: "16-bit word lengths (§4.2.6)"
            case .outputWrap: "output limiter LIMO (Annex A)"
            default: "deviations \(rawValue)"
            }
        }
    }

    /// Quantizer outputs (Tables 1 to 4/G.726, block RECONST), W(I) (FUNCTW) and F(I) (FUNCTF) by magnitude,
    /// for 2 to 5 bits per codeword; nil is the −∞ output level.
    static let levels: [Int: [Int?]] = [
        2: [116, 365], 3: [nil, 135, 273, 373], 4: [nil, 4, 135, 213, 273, 323, 373, 425],
        5: [nil, -66, 28, 104, 169, 224, 274, 318, 358, 395, 429, 459, 488, 514, 539, 566],
    ]
    static let multipliers: [Int: [Int]] = [
        2: [-22, 439], 3: [-4, 30, 137, 582], 4: [-12, 18, 41, 64, 112, 198, 355, 1122],
        5: [14, 14, 24, 39, 40, 41, 58, 100, 141, 179, 219, 280, 358, 440, 529, 696],
    ]
    static let speedFunctions: [Int: [Int]] = [
        2: [0, 7], 3: [0, 1, 2, 7], 4: [0, 0, 0, 1, 1, 1, 3, 7],
        5: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6],
    ]

    /// A signal in G.726's floating-point form (FLOATA, FLOATB): sign, exponent, 6-bit mantissa.
    struct Float11 {
        var negative = false
        var exponent = 0
        var mantissa = 32
    }

    let bits: Int
    let deviations: Deviations
    let levelTable: [Int?]
    let multiplierTable: [Int]
    let speedTable: [Int]
    var fastScale = 544, slowScale = 34816, shortTerm = 0, longTerm = 0, speed = 0
    var a1 = 0, a2 = 0
    var b = [Int](repeating: 0, count: 6)
    var dq = [Float11](repeating: Float11(), count: 6)
    var sr1 = Float11(), sr2 = Float11()
    var pk1 = false, pk2 = false, tone = false

    init(bits: Int, deviations: Deviations = []) {
        self.bits = bits
        self.deviations = deviations
        levelTable = Self.levels[bits]!
        multiplierTable = Self.multipliers[bits]!
        speedTable = Self.speedFunctions[bits]!
    }

    static func wrap16(_ value: Int) -> Int { Int(Int16(truncatingIfNeeded: value)) }

    /// FLOATA/FLOATB; with `.wordLengths`, ffmpeg's conversion of an `int` (its exponent from the low 16 bits).
    func float(_ value: Int) -> Float11 {
        if deviations.contains(.wordLengths) {
            let magnitude = abs(value)
            let low = magnitude & 0xFFFF
            let exponent = (low == 0 ? 0 : low.bitWidth - low.leadingZeroBitCount - 1) + (magnitude == 0 ? 0 : 1)
            return Float11(
                negative: value < 0,
                exponent: exponent,
                mantissa: magnitude == 0 ? 32 : (magnitude << 6) >> exponent
            )
        }
        let magnitude = (value < 0 ? -value : value) & 32767
        let exponent = magnitude.bitWidth - magnitude.leadingZeroBitCount
        return Float11(
            negative: value < 0,
            exponent: exponent,
            mantissa: magnitude == 0 ? 32 : (magnitude << 6) >> exponent
        )
    }

    /// FMULT.
    func multiply(_ coefficient: Int, _ signal: Float11) -> Int {
        var operand = float(coefficient >> 2)
        if !deviations.contains(.wordLengths) {
            let magnitude = abs(coefficient >> 2) & 8191
            let exponent = magnitude.bitWidth - magnitude.leadingZeroBitCount
            operand = Float11(
                negative: coefficient < 0,
                exponent: exponent,
                mantissa: magnitude == 0 ? 32 : (magnitude << 6) >> exponent
            )
        }
        let exponent = operand.exponent + signal.exponent
        let mantissa = (operand.mantissa * signal.mantissa + 48) >> 4
        let negative = operand.negative != signal.negative
        if deviations.contains(.wordLengths) {
            let magnitude = exponent > 19 ? mantissa << (exponent - 19) : mantissa >> (19 - exponent)
            return Self.wrap16(negative ? -magnitude : magnitude)
        }
        let magnitude =
            exponent <= 26 ? (mantissa << 7) >> (26 - exponent) : ((mantissa << 7) << (exponent - 26)) & 32767
        return negative ? -magnitude : magnitude
    }

    mutating func decode(_ code: Int) -> Int16 {
        let mask = (1 << bits) - 1
        let wide = deviations.contains(.wordLengths)
        // FMULT, ACCUM.
        let zeroSum = (0..<6).reduce(0) { $0 + multiply(b[$1], dq[$1]) }
        let total = zeroSum + multiply(a1, sr1) + multiply(a2, sr2)
        let se = wide ? total >> 1 : Self.wrap16(total) >> 1
        let sez = wide ? zeroSum >> 1 : Self.wrap16(zeroSum) >> 1
        // LIMA, MIX.
        let al = speed >= 256 ? 64 : speed >> 2
        let y: Int
        if deviations.contains(.mixRounding) {
            y = (slowScale + (fastScale - (slowScale >> 6)) * al) >> 6
        } else {
            let difference = fastScale - (slowScale >> 6)
            let product = (abs(difference) * al) >> 6
            y = ((slowScale >> 6) + (difference < 0 ? -product : product)) & 8191
        }
        // RECONST, ADDA, ANTILOG.
        let negative = code >> (bits - 1) & 1 == 1
        let magnitude = negative ? mask - code : code
        var dqMagnitude = 0
        if let level = levelTable[magnitude] {
            let logarithm = (level + (y >> 2)) & 4095
            if logarithm < 2048 { dqMagnitude = ((128 + (logarithm & 127)) << 7) >> (14 - (logarithm >> 7)) }
        }
        let difference = negative ? -dqMagnitude : dqMagnitude
        // TRANS.
        let integer = slowScale >> 15
        let threshold = integer > 9 ? 31744 : (32 + ((slowScale >> 10) & 31)) << integer
        let transition = tone && dqMagnitude > (threshold + (threshold >> 1)) >> 1
        // FUNCTF, FILTA, FILTB, FUNCTW, FILTD, LIMB, FILTE.
        let f = speedTable[magnitude]
        let newShort = (shortTerm + (((f << 9) - shortTerm) >> 5)) & 4095
        let newLong = (longTerm + (((f << 11) - longTerm) >> 7)) & 16383
        fastScale = min(max((y + (((multiplierTable[magnitude] << 5) - y) >> 5)) & 8191, 544), 5120)
        let increment = (fastScale + ((1_048_576 - slowScale) >> 6)) & 16383
        slowScale = (slowScale + (increment >= 8192 ? increment - 16384 : increment)) & 524287
        // ADDC, ADDB.
        let partial = wide ? difference + sez : Self.wrap16(difference + sez)
        let sr = Self.wrap16(difference + se)
        // UPA2, LIMC, UPA1, LIMD, TONE, XOR, UPB, TRIGB.
        let agrees1 = (partial < 0) == pk1
        let agrees2 = (partial < 0) == pk2
        let f1 = 4 * min(max(a1, -8191), 8191)
        let gain2 = partial == 0 ? 0 : ((agrees2 ? 16384 : -16384) + (agrees1 ? -f1 : f1)) >> 7
        let newA2 = min(max(a2 + gain2 - (a2 >> 7), -12288), 12288)
        let gain1 = partial == 0 ? 0 : (agrees1 ? 192 : -192)
        let newA1 = min(max(a1 + gain1 - (a1 >> 8), newA2 - 15360), 15360 - newA2)
        let leak = bits == 5 && !deviations.contains(.zeroLeakAt40) ? 9 : 8
        for index in 0..<6 {
            let gain = difference == 0 ? 0 : (negative == dq[index].negative ? 128 : -128)
            let value = b[index] + gain - (b[index] >> leak)
            b[index] = transition ? 0 : wide ? value : Self.wrap16(value)
        }
        let newTone = newA2 < -11776
        a2 = transition ? 0 : newA2
        a1 = transition ? 0 : newA1
        tone = transition ? false : newTone
        for index in stride(from: 5, to: 0, by: -1) { dq[index] = dq[index - 1] }
        dq[0] = float(dqMagnitude)
        dq[0].negative = negative
        pk2 = pk1
        pk1 = partial < 0
        // SUBTC, FILTC, TRIGA.
        let stationary = y >= 1536 && !tone && abs((newShort << 2) - newLong) < newLong >> 3
        speed = transition ? 256 : (speed + ((((stationary ? 0 : 1) << 9) - speed) >> 4)) & 1023
        shortTerm = newShort
        longTerm = newLong
        sr2 = sr1
        sr1 = float(sr)
        // LIMO, or ffmpeg's output.
        if deviations.contains(.outputWrap) {
            return Int16(truncatingIfNeeded: min(max(sr * 4, -0xFFFF), 0xFFFF))
        }
        return Int16(min(max(sr, -8192), 8191) * 4)
    }
}
