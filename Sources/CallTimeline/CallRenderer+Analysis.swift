import CallPicture

extension CallRenderer {
    /// Each leg's listening quality and talk time, and the call's double talk, measured while it rendered (SPEC
    /// §4); complete after ``finish()`` and the last ``render(maxFrames:left:right:)``.
    public var analysis: CallAnalysis { meters.analysis(of: renderedCall) }

    /// The picture of the call (SPEC §4) as the bytes of an SVG file, when the renderer was made with `picture`
    /// (nil otherwise); complete after ``finish()`` and the last ``render(maxFrames:left:right:)``. The level and the
    /// jitter were drawn as the call rendered; the gaps, DTMF digits and segment changes of the rendered call are
    /// marked here, and `analysis` gives each leg's MOS for the header. `title` names the call (its SIP Call-ID, or
    /// the capture's name).
    public func picture(title: String, analysis: CallAnalysis) -> [UInt8]? {
        guard var picture = meters.picture else { return nil }
        let call = renderedCall
        for (lane, leg) in call.legs.enumerated() {
            Self.mark(leg, lane: lane, callStart: call.start, on: &picture)
        }
        let header = PictureHeader(
            title: title,
            startNanoseconds: call.start,
            legs: call.legs.map { leg in
                let quality = analysis.leg(leg.side)?.quality
                return PictureHeader.LegSummary(
                    codecs: leg.codecNames.joined(separator: ", "),
                    mos: quality?.mos,
                    rFactor: quality?.rFactor,
                    lossPercent: quality?.components.lossPercent
                )
            },
            note: call.channelReason
        )
        return picture.svgBytes(header: header)
    }

    /// Marks a leg's gaps, DTMF digits and segment changes on lane `lane`.
    private static func mark(_ leg: Leg, lane: Int, callStart: Int64, on picture: inout PictureBuilder) {
        for gap in leg.gaps {
            picture.mark(
                gap.kind.interval,
                startMilliseconds: gap.startMilliseconds,
                durationMilliseconds: gap.durationMilliseconds,
                leg: lane
            )
        }
        for event in leg.dtmf {
            picture.mark(dtmf: event.digit, atMilliseconds: event.startMilliseconds, leg: lane)
        }
        for (index, segment) in leg.segments.enumerated() where index > 0 && segment.reason != .first {
            let (label, kind) = change(from: leg.segments[index - 1], to: segment)
            picture.mark(
                change: label,
                kind: kind,
                atMilliseconds: Double(segment.start &- callStart) / 1e6,
                leg: lane
            )
        }
    }

    /// What the picture says where `segment` follows `previous`: `SSRC 0x5EED0002` (with `PCMU → G722` when the
    /// new sender also changed codec), `PCMU → G722`, or `re-anchored` (a timestamp jump, SPEC §3.4).
    private static func change(from previous: SegmentSummary, to segment: SegmentSummary) -> (String, ChangeKind) {
        let codecs = previous.codec == segment.codec ? "" : "\(previous.codec) → \(segment.codec)"
        switch segment.reason {
        case .ssrcChange:
            let ssrc = "SSRC 0x" + SSRCFormat.hex(segment.ssrc).dropFirst(2).uppercased()
            return (codecs.isEmpty ? ssrc : ssrc + " " + codecs, .ssrc)
        case .codecChange:
            return (codecs.isEmpty ? "codec change" : codecs, .codec)
        case .reanchor, .first:
            return ("re-anchored", .other)
        }
    }
}

extension GapKind {
    /// The picture's name of a gap's kind.
    var interval: IntervalKind {
        switch self {
        case .concealed: .concealed
        case .lost: .lost
        case .silence: .silence
        case .comfortNoise: .comfortNoise
        }
    }
}
