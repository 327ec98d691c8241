/// The adaptive state of ITU-T G.726 shared by its encoder and decoder: the quantizer scale factor, the adaptation
/// speed control, the adaptive predictor and the tone and transition detector (§4.2.3 to §4.2.7).
///
/// The encoder and the decoder run exactly the same adaptation on the codewords, so a decoder started in the same
/// state as the encoder reconstructs the same signal SR. Every block follows the fixed-point description of
/// ITU-T G.726 §4.2 (block names in capitals), with the word lengths and wrap-arounds it specifies; values are held
/// as signed integers where the Recommendation uses two's complement or sign-magnitude words.
struct G726ADPCM: Sendable {
    let rate: G726Rate
    let tables: G726Tables

    /// Fast (unlocked) quantizer scale factor yu (YU, blocks FILTD and LIMB, §4.2.4), in units of 2^-9 of log2,
    /// limited to 544…5120 (1.06…10.0).
    var fastScale: Int32 = 544
    /// Slow (locked) quantizer scale factor yl (YL, block FILTE, §4.2.4), in units of 2^-15 (19 bits).
    var slowScale: Int32 = 34816

    /// Short-term average of F(I), dms (DMS, block FILTA, §4.2.5), in units of 2^-9 (12 bits).
    var shortTermAverage: Int32 = 0
    /// Long-term average of F(I), dml (DML, block FILTB, §4.2.5), in units of 2^-11 (14 bits).
    var longTermAverage: Int32 = 0
    /// Speed control parameter ap (AP, blocks FILTC and TRIGA, §4.2.5), in units of 2^-8, 0…2.
    var speedControl: Int32 = 0

    /// Second-order predictor coefficient a1 (A1, blocks UPA1 and LIMD, §4.2.6), in units of 2^-14.
    var pole1: Int32 = 0
    /// Second-order predictor coefficient a2 (A2, blocks UPA2 and LIMC, §4.2.6), in units of 2^-14.
    var pole2: Int32 = 0
    /// Sixth-order predictor coefficients b1…b6 (B1…B6, block UPB, §4.2.6), in units of 2^-14, in lanes 0…5.
    var zeros = SIMD8<Int32>()
    /// Quantized differences dq(k−1)…dq(k−6) (DQ1…DQ6, block FLOATA) in G.726's 11-bit floating-point word
    /// (sign << 10 | exponent << 6 | mantissa), in lanes 0…5. Zero is exponent 0, mantissa 32: the word 32.
    var pastDifferences = SIMD8<Int32>(repeating: 32)
    /// Reconstructed signals sr(k−1) and sr(k−2) (SR1, SR2, block FLOATB) in the same floating-point word.
    var pastReconstructed1: Int32 = 32
    var pastReconstructed2: Int32 = 32
    /// Signs of dq + sez for the last two samples, pk(k−1) and pk(k−2) (PK1, PK2, block ADDC): true if negative.
    var pastPartialSign1 = false
    var pastPartialSign2 = false
    /// Tone detect td (TD, blocks TONE and TRIGB, §4.2.7): a partial-band signal such as a modem tone.
    var toneDetected = false

    /// The reset state of ITU-T G.726 (the DELAY blocks' reset values) at `rate`.
    init(rate: G726Rate) {
        self.rate = rate
        tables = G726Tables.of(rate)
    }

    /// What the encoder and decoder both need before a codeword: the signal estimates and the scale factor.
    struct Prediction {
        /// Signal estimate se (SE, block ACCUM), 15-bit two's complement.
        var signalEstimate: Int32
        /// Partial signal estimate sez (SEZ, block ACCUM): the sixth-order predictor's part alone.
        var partialEstimate: Int32
        /// Quantizer scale factor y (Y, block MIX), in units of 2^-9.
        var scale: Int32
    }

    /// Blocks FMULT and ACCUM (§4.2.6), then LIMA (§4.2.5) and MIX (§4.2.4): the estimates for the next sample.
    func predict() -> Prediction {
        // ACCUM adds the eight products in 16-bit arithmetic (modulo 2^16, which is associative) and halves.
        var zeroSum: Int32 = 0
        for index in 0..<6 {
            zeroSum &+= Self.multiply(zeros[index], pastDifferences[index])
        }
        let total = wrap16(
            zeroSum &+ Self.multiply(pole1, pastReconstructed1) &+ Self.multiply(pole2, pastReconstructed2)
        )
        // LIMA: the speed control limited to 1 (64 in units of 2^-6), as AL.
        let limitedSpeed = speedControl >= 256 ? 64 : speedControl >> 2
        // MIX: y = yl + (yu − yl)·al, with the product's magnitude truncated and the sign applied after, modulo
        // 2^13. yu and yl >> 6 are both 13-bit, so their difference needs no wrap.
        let slow = slowScale >> 6
        let difference = fastScale - slow
        let magnitude = (abs(difference) * limitedSpeed) >> 6
        let scale = (slow + (difference < 0 ? -magnitude : magnitude)) & 8191
        return Prediction(signalEstimate: total >> 1, partialEstimate: wrap16(zeroSum) >> 1, scale: scale)
    }

    /// Block FMULT (§4.2.6): a predictor coefficient (16-bit two's complement, 2^-14 units) times a signal in
    /// floating-point form, in G.726's own 4-bit-exponent, 6-bit-mantissa arithmetic; 16-bit two's complement.
    @inline(__always)
    static func multiply(_ coefficient: Int32, _ floatingWord: Int32) -> Int32 {
        // The coefficient's magnitude on 13 bits (AN >> 2): −2^15 has magnitude 8192, which is 0 on 13 bits.
        let shifted = coefficient >> 2
        let magnitude = (shifted < 0 ? -shifted : shifted) & 8191
        let exponent = bitLength(magnitude)
        let mantissa = magnitude == 0 ? 32 : (magnitude << 6) >> exponent
        let productExponent = exponent + ((floatingWord >> 6) & 15)
        // The 6×6-bit mantissa product, rounded (+48) to 8 bits.
        let productMantissa = (mantissa * (floatingWord & 63) + 48) >> 4
        let productMagnitude =
            productExponent <= 26
            ? (productMantissa << 7) >> (26 - productExponent)
            : ((productMantissa << 7) << (productExponent - 26)) & 32767
        let negative = (coefficient < 0) != ((floatingWord >> 10) & 1 == 1)
        return negative ? -productMagnitude : productMagnitude
    }

    /// Blocks FLOATA and FLOATB (§4.2.6): a magnitude (15 bits) and sign to the 11-bit floating-point word.
    @inline(__always)
    static func floatingWord(magnitude: Int32, negative: Bool) -> Int32 {
        let exponent = bitLength(magnitude)
        let mantissa = magnitude == 0 ? 32 : (magnitude << 6) >> exponent
        return (negative ? 1024 : 0) | exponent << 6 | mantissa
    }

    /// The magnitude m of a codeword (its row in the tables) and its sign: negative codewords are the one's
    /// complement of their magnitude (§4.2.3 RECONST, §4.2.4 FUNCTW, §4.2.5 FUNCTF).
    @inline(__always)
    func magnitude(of code: Int32) -> (magnitude: Int, negative: Bool) {
        let bits = Int32(rate.bitsPerCodeword)
        let mask: Int32 = (1 << bits) - 1
        let negative = (code >> (bits - 1)) & 1 == 1
        return (Int(negative ? mask - (code & mask) : code & mask), negative)
    }

    /// Blocks RECONST, ADDA and ANTILOG (§4.2.3): the magnitude of the quantized difference DQ of a codeword
    /// magnitude (15 bits).
    @inline(__always)
    func differenceMagnitude(_ magnitude: Int, scale: Int32) -> Int32 {
        guard let level = tables.reconstructionLevels[magnitude] else { return 0 }
        // ADDA: DQL = DQLN + y/4 in 12-bit two's complement (units 2^-7); a negative DQL is below the smallest
        // representable magnitude (ANTILOG gives 0).
        let logarithm = (level + (scale >> 2)) & 4095
        guard logarithm < 2048 else { return 0 }
        // ANTILOG: 2^(exponent + mantissa/128) with 2^x ≈ 1 + x, the exponent ≤ 14 (DQL ≤ 566 + 5120/4).
        let exponent = logarithm >> 7
        return ((128 + (logarithm & 127)) << 7) >> (14 - exponent)
    }

    /// Adapts to one codeword and returns the reconstructed signal SR (16-bit two's complement): blocks RECONST,
    /// ADDA, ANTILOG (§4.2.3), TRANS (§4.2.7), FUNCTF, FILTA, FILTB (§4.2.5), FUNCTW, FILTD, LIMB, FILTE (§4.2.4),
    /// ADDB, ADDC, FLOATA, FLOATB, UPA2, LIMC, UPA1, LIMD, XOR, UPB, TRIGB (§4.2.6), TONE (§4.2.7), SUBTC, FILTC,
    /// TRIGA (§4.2.5) and the DELAY blocks, in the order of the Recommendation.
    mutating func adapt(code: Int32, prediction: Prediction) -> Int32 {
        let (magnitude, negative) = self.magnitude(of: code)
        let scale = prediction.scale
        let differenceMagnitude = differenceMagnitude(magnitude, scale: scale)
        let difference = negative ? -differenceMagnitude : differenceMagnitude

        // TRANS: a transition from a partial-band signal when DQ exceeds 3/2 · 2^(yl) (in yl's 5.5 format),
        // with the tone detected on the previous sample.
        let integerPart = slowScale >> 15
        let threshold = integerPart > 9 ? 31744 : (32 + ((slowScale >> 10) & 31)) << integerPart
        let transition = toneDetected && differenceMagnitude > (threshold + (threshold >> 1)) >> 1

        // FUNCTF, FILTA, FILTB: short- and long-term averages of F(I), time constants 2^-5 and 2^-7.
        let speedFunction = tables.speedFunction[magnitude]
        let newShortTerm = (shortTermAverage + ((speedFunction << 9) - shortTermAverage) >> 5) & 4095
        let newLongTerm = (longTermAverage + ((speedFunction << 11) - longTermAverage) >> 7) & 16383

        // FUNCTW, FILTD, LIMB: yu = (1 − 2^-5)·y + 2^-5·W(I), limited to 1.06…10.0; FILTE: yl follows yu with a
        // time constant of 2^-6 (its 14-bit increment sign-extended to 19 bits).
        let unlimited = (scale + ((tables.scaleMultipliers[magnitude] << 5) - scale) >> 5) & 8191
        fastScale = min(max(unlimited, 544), 5120)
        let increment = (fastScale + ((1_048_576 - slowScale) >> 6)) & 16383
        slowScale = (slowScale + (increment >= 8192 ? increment - 16384 : increment)) & 524287

        // ADDC and ADDB: DQ + SEZ (its sign PK0, and whether it is zero) and SR = DQ + SE, both modulo 2^16.
        let partialSum = wrap16(difference + prediction.partialEstimate)
        let partialSign = partialSum < 0
        let reconstructed = wrap16(difference + prediction.signalEstimate)

        updatePredictor(
            difference: difference,
            differenceNegative: negative,
            partialSign: partialSign,
            partialZero: partialSum == 0,
            transition: transition
        )

        // SUBTC, FILTC, TRIGA: the speed control leans to fast adaptation (AX = 1) unless the signal is stationary
        // (y ≥ 3, the averages of F(I) agree within 1/8, and no tone); a transition restarts it at 1.
        let stationary =
            scale >= 1536 && !toneDetected && abs((newShortTerm << 2) - newLongTerm) < newLongTerm >> 3
        let speed = (speedControl + (((stationary ? 0 : 1) << 9) - speedControl) >> 4) & 1023
        speedControl = transition ? 256 : speed
        shortTermAverage = newShortTerm
        longTermAverage = newLongTerm

        // DELAY blocks: the signal history in floating-point form.
        pastReconstructed2 = pastReconstructed1
        pastReconstructed1 = Self.floatingWord(
            magnitude: reconstructed < 0 ? (-reconstructed) & 32767 : reconstructed,
            negative: reconstructed < 0
        )
        return reconstructed
    }

    /// Blocks UPA2, LIMC, UPA1, LIMD, TONE, XOR, UPB and TRIGB (§4.2.6, §4.2.7) with the DELAY of DQ and PK: the
    /// predictor's coefficients adapt to the sign agreements of the new quantized difference; a transition
    /// (TRIGB) resets them and the tone detector.
    private mutating func updatePredictor(
        difference: Int32,
        differenceNegative: Bool,
        partialSign: Bool,
        partialZero: Bool,
        transition: Bool
    ) {
        // UPA2: a2 leaks by 2^-7 and moves by ±2^-7·(1 or f(a1)) with the sign agreements of PK0 with PK2 and PK1
        // (no move when DQ + SEZ is zero); f(a1) = 4·a1 limited to ±1/2. LIMC: |a2| ≤ 0.75.
        let agrees1 = partialSign == pastPartialSign1
        let agrees2 = partialSign == pastPartialSign2
        let poleFunction = 4 * min(max(pole1, -8191), 8191)
        let pole2Gain = partialZero ? 0 : ((agrees2 ? 16384 : -16384) + (agrees1 ? -poleFunction : poleFunction)) >> 7
        let newPole2 = min(max(wrap16(pole2 + pole2Gain - (pole2 >> 7)), -12288), 12288)

        // UPA1: a1 leaks by 2^-8 and moves by ±3·2^-8; LIMD: |a1| ≤ 1 − 2^-4 − a2.
        let pole1Gain: Int32 = partialZero ? 0 : (agrees1 ? 192 : -192)
        let pole1Limit = 15360 - newPole2
        let newPole1 = min(max(wrap16(pole1 + pole1Gain - (pole1 >> 8)), -pole1Limit), pole1Limit)

        // TONE: a partial-band signal when a2 < −0.71875.
        let tone = newPole2 < -11776

        // XOR and UPB: each bi leaks by 2^-8 (2^-9 at 40 kbit/s) and moves by ±2^-7 with the sign agreement of
        // DQ and dq(k−i), unless DQ is zero; modulo 2^16.
        var newZeros = SIMD8<Int32>()
        for index in 0..<6 {
            let zero = zeros[index]
            let agrees = differenceNegative == ((pastDifferences[index] >> 10) & 1 == 1)
            let gain: Int32 = difference == 0 ? 0 : (agrees ? 128 : -128)
            newZeros[index] = wrap16(zero + gain - (zero >> tables.zeroLeakShift))
        }

        // TRIGB: a transition resets the predictor and the tone detector.
        pole2 = transition ? 0 : newPole2
        pole1 = transition ? 0 : newPole1
        zeros = transition ? SIMD8() : newZeros
        toneDetected = transition ? false : tone

        // DELAY of DQ (FLOATA of the new difference) and of the signs PK.
        let magnitude = abs(difference)
        pastDifferences = SIMD8(
            Self.floatingWord(magnitude: magnitude, negative: differenceNegative),
            pastDifferences[0],
            pastDifferences[1],
            pastDifferences[2],
            pastDifferences[3],
            pastDifferences[4],
            32,
            32
        )
        pastPartialSign2 = pastPartialSign1
        pastPartialSign1 = partialSign
    }
}

/// A value modulo 2^16 as 16-bit two's complement: G.726's 16-bit adders.
@inline(__always)
func wrap16(_ value: Int32) -> Int32 {
    Int32(Int16(truncatingIfNeeded: value))
}

/// The number of significant bits of a non-negative value (0 for 0): the exponent of G.726's FLOAT blocks.
@inline(__always)
func bitLength(_ value: Int32) -> Int32 {
    32 - Int32(value.leadingZeroBitCount)
}
