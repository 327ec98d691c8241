/// The ITU-T G.107 (06/2015) E-model: the transmission rating factor R of a connection from its impairments,
/// R = Ro − Is − Id − Ie,eff + A (equation 7-1), and the MOS it predicts (Annex B).
///
/// The terminal and line parameters (loudness ratings, echo loss, noise) are not in a capture; they keep the
/// default values of G.107 Table 3, with which an unimpaired connection rates R = 93.2. What a capture does tell
/// (the codec, the packet loss and its burstiness, the delay) comes in per call of ``rating(delay:codec:loss:)``.
public struct EModel: Sendable {
    /// Send loudness rating SLR, dB.
    public var sendLoudness = 8.0
    /// Receive loudness rating RLR, dB.
    public var receiveLoudness = 2.0
    /// Sidetone masking rating STMR, dB.
    public var sidetoneMasking = 15.0
    /// Listener sidetone rating LSTR, dB.
    public var listenerSidetone = 18.0
    /// D-value of the telephone, send side Ds.
    public var sendDValue = 3.0
    /// Talker echo loudness rating TELR, dB.
    public var talkerEchoLoudness = 65.0
    /// Weighted echo path loss WEPL, dB.
    public var weightedEchoPathLoss = 110.0
    /// Number of quantization distortion units qdu.
    public var quantizationDistortionUnits = 1.0
    /// Circuit noise referred to the 0 dBr point Nc, dBm0p.
    public var circuitNoise = -70.0
    /// Noise floor at the receive side Nfor, dBmp.
    public var receiveNoiseFloor = -64.0
    /// Room noise at the send side Ps, dB(A).
    public var sendRoomNoise = 35.0
    /// Room noise at the receive side Pr, dB(A).
    public var receiveRoomNoise = 35.0
    /// Advantage factor A (G.107 §7.6; 0 for wirebound telephony).
    public var advantage = 0.0

    /// The G.107 Table 3 defaults.
    public init() {}

    /// The impairments of one connection and its rating.
    public struct Rating: Sendable, Equatable {
        /// Basic signal-to-noise ratio Ro (§7.2).
        public var basicSignalToNoise: Double
        /// Simultaneous impairment factor Is (§7.3).
        public var simultaneousImpairment: Double
        /// Delay impairment factor Id = Idte + Idle + Idd (§7.4).
        public var delayImpairment: Double
        /// Talker echo Idte, listener echo Idle and absolute delay Idd parts of Id.
        public var talkerEchoImpairment: Double
        public var listenerEchoImpairment: Double
        public var absoluteDelayImpairment: Double
        /// Effective equipment impairment factor Ie,eff (§7.5, equation 7-29).
        public var effectiveEquipmentImpairment: Double
        public var advantage: Double
        /// R, clamped to 0…100 (G.107 Annex B: the scale on which MOS is defined).
        public var rFactor: Double
        /// MOS (conversational quality, estimated) from R, G.107 Annex B.
        public var mos: Double
    }

    /// Rates a connection whose mean one-way delay is `delay` ms (T = Ta, and the listener echo round trip Tr = 2T),
    /// with a codec of equipment impairment `ie` and robustness `bpl`, losing `lossPercent` % of its packets
    /// (Ppl) with burst ratio `burstRatio` (BurstR, 1 for random loss).
    public func rating(
        delay: Double,
        ie: Double,
        bpl: Double,
        lossPercent: Double,
        burstRatio: Double
    ) -> Rating {
        let noise = noisePower()
        let ro = 15 - 1.5 * (sendLoudness + noise)
        let isValue = simultaneousImpairment(ro: ro, noise: noise, delay: delay)
        let idte = talkerEchoImpairment(noise: noise, delay: delay)
        let idle = listenerEchoImpairment(ro: ro, roundTrip: 2 * delay)
        let idd = absoluteDelayImpairment(delay)
        let ieEff = Self.effectiveEquipmentImpairment(
            ie: ie,
            bpl: bpl,
            lossPercent: lossPercent,
            burstRatio: burstRatio
        )
        let r = ro - isValue - (idte + idle + idd) - ieEff + advantage
        let clamped = min(100, max(0, r))
        return Rating(
            basicSignalToNoise: ro,
            simultaneousImpairment: isValue,
            delayImpairment: idte + idle + idd,
            talkerEchoImpairment: idte,
            listenerEchoImpairment: idle,
            absoluteDelayImpairment: idd,
            effectiveEquipmentImpairment: ieEff,
            advantage: advantage,
            rFactor: clamped,
            mos: Self.mos(rFactor: r)
        )
    }

    /// Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl) (G.107 equation 7-29). A BurstR below 1 (losses more
    /// evenly spread than random) is taken as 1: G.107 calibrates random (1) and bursty (> 1) loss only.
    public static func effectiveEquipmentImpairment(
        ie: Double,
        bpl: Double,
        lossPercent: Double,
        burstRatio: Double
    ) -> Double {
        let ppl = min(100, max(0, lossPercent))
        guard ppl > 0 else { return ie }
        let burstR = max(1, burstRatio)
        return ie + (95 - ie) * ppl / (ppl / burstR + max(bpl, 0.001))
    }

    /// MOS from R (G.107 Annex B, equation B-4): 1 + 0.035 R + R (R − 60)(100 − R) 7·10⁻⁶ on 0 < R < 100, 1 below,
    /// 4.5 above. The polynomial dips a hair under 1 for R < 6.5; that is clamped to 1.
    public static func mos(rFactor r: Double) -> Double {
        if r <= 0 { return 1 }
        if r >= 100 { return 4.5 }
        return max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6)
    }

    /// Total noise power No (equations 7-3 to 7-7), dBm0p.
    func noisePower() -> Double {
        let overallLoudness = sendLoudness + receiveLoudness
        let sendNoise =
            sendRoomNoise - sendLoudness - sendDValue - 100
            + 0.004 * square(sendRoomNoise - overallLoudness - sendDValue - 14)
        let receiveRoomNoise = receiveRoomNoise + 10 * log10(1 + power10((10 - listenerSidetone) / 10))
        let receiveNoise = receiveLoudness - 121 + receiveRoomNoise + 0.008 * square(receiveRoomNoise - 35)
        let floorNoise = receiveNoiseFloor + receiveLoudness
        return 10
            * log10(
                power10(circuitNoise / 10) + power10(sendNoise / 10) + power10(receiveNoise / 10)
                    + power10(floorNoise / 10)
            )
    }

    /// Is = Iolr + Ist + Iq (equations 7-8 to 7-16).
    func simultaneousImpairment(ro: Double, noise: Double, delay: Double) -> Double {
        let overallLoudness = sendLoudness + receiveLoudness
        let xolr = overallLoudness + 0.2 * (64 + noise - receiveLoudness)
        let iolr = 20 * (root(1 + power(xolr / 8, 8), 8) - xolr / 8)
        let stmro = -10 * log10(power10(-sidetoneMasking / 10) + exp(-delay / 4) * power10(-talkerEchoLoudness / 10))
        let ist =
            12 * root(1 + power((stmro - 13) / 6, 8), 8) - 28 * root(1 + power((stmro + 1) / 19.4, 35), 35)
            - 13 * root(1 + power((stmro - 3) / 33, 13), 13) + 29
        let q = 37 - 15 * log10(quantizationDistortionUnits)
        let g = 1.07 + 0.258 * q + 0.0602 * q * q
        let y = (ro - 100) / 15 + 46 / 8.4 - g / 9
        let z = 46.0 / 30 - g / 40
        let iq = 15 * log10(1 + power10(y) + power10(z))
        return iolr + ist + iq
    }

    /// Talker echo Idte (equations 7-18 to 7-21), for a one-way delay T of `delay` ms.
    func talkerEchoImpairment(noise: Double, delay t: Double) -> Double {
        let roe = -1.5 * (noise - receiveLoudness)
        let terv = talkerEchoLoudness - 40 * log10((1 + t / 10) / (1 + t / 150)) + 6 * exp(-0.3 * t * t)
        let re = 80 + 2.5 * (terv - 14)
        let difference = roe - re
        return (difference / 2 + (difference * difference / 4 + 100).squareRoot() - 1) * (1 - exp(-t))
    }

    /// Listener echo Idle (equations 7-24, 7-25), for a round trip Tr of `roundTrip` ms.
    func listenerEchoImpairment(ro: Double, roundTrip: Double) -> Double {
        let rle = 10.5 * (weightedEchoPathLoss + 7) * power(roundTrip + 1, -0.25)
        let difference = ro - rle
        return difference / 2 + (difference * difference / 4 + 169).squareRoot()
    }

    /// Absolute delay Idd (equations 7-26, 7-27 with the default mT = 100 ms, sT = 1): none up to 100 ms.
    func absoluteDelayImpairment(_ ta: Double) -> Double {
        guard ta > 100 else { return 0 }
        let x = log10(ta / 100) / log10(2)
        return 25 * (root(1 + power(x, 6), 6) - 3 * root(1 + power(x / 3, 6), 6) + 2)
    }
}

private func square(_ x: Double) -> Double { x * x }
