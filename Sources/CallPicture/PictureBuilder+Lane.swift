import CallQuality

extension PictureBuilder {
    /// One leg's lane: label, background and grid, interval tints, level envelope, interval strip, jitter line,
    /// change markers and DTMF badges, in that order (later ones on top).
    func renderLane(_ leg: Int, summary: PictureHeader.LegSummary?, axis: TimeAxis, into w: inout SVGWriter) {
        let lane = lanes[leg]
        let envelopeTop = layout.envelopeTop(leg)
        let stripTop = layout.stripTop(leg)
        let stripBottom = stripTop + Double(PictureLayout.stripHeight)
        w.raw("<g id=\"lane-\(leg)\">\n")
        renderLaneLabel(leg, summary: summary, into: &w)

        // Background of the level and the strip, and the ticks' grid lines through both.
        let left = SVGWriter.format(layout.plotLeft)
        w.raw("<rect x=\"\(left)\" y=\"\(SVGWriter.format(envelopeTop))\" width=\"\(layout.columns)\"")
        w.raw(" height=\"\(PictureLayout.envelopeHeight)\" fill=\"\(Palette.laneBackground)\"/>\n")
        w.raw("<rect x=\"\(left)\" y=\"\(SVGWriter.format(stripTop))\" width=\"\(layout.columns)\"")
        w.raw(" height=\"\(PictureLayout.stripHeight)\" fill=\"\(Palette.grid)\" fill-opacity=\"0.5\"/>\n")
        w.raw("<path stroke=\"\(Palette.grid)\" stroke-width=\"1\" d=\"")
        for tick in axis.ticks {
            let x = layout.x(fraction: tick / axis.duration).rounded() + 0.5
            w.raw("M\(SVGWriter.format(x)) \(SVGWriter.format(envelopeTop))V\(SVGWriter.format(stripBottom))")
        }
        w.raw("\"/>\n")

        // Intervals: a light tint over the level (so a loss filled with silence shows where the level is missing),
        // lost drawn last so it wins where kinds meet.
        let drawOrder: [IntervalKind] = [.silence, .comfortNoise, .concealed, .lost]
        for kind in drawOrder {
            let d = runsPath(
                lane.intervals,
                bit: kind.bit,
                top: envelopeTop,
                height: PictureLayout.envelopeHeight,
                minimumWidth: 1
            )
            guard !d.isEmpty else { continue }
            w.raw("<path fill=\"\(Palette.interval(kind))\" fill-opacity=\"0.2\" d=\"\(d)\"/>\n")
        }
        renderEnvelope(leg, into: &w)
        for kind in drawOrder {
            // In the strip at least 3 px wide, so that a 20 ms concealment in an hour-long call still shows; a
            // concealment is drawn shorter than the rest, so that among many of them a real loss stands out by
            // its height as well as its colour.
            let short = kind == .concealed ? 5 : 0
            let d = runsPath(
                lane.intervals,
                bit: kind.bit,
                top: stripTop + Double(short),
                height: PictureLayout.stripHeight - short,
                minimumWidth: 3
            )
            guard !d.isEmpty else { continue }
            w.raw("<path class=\"strip-\(kind.rawValue)\" fill=\"\(Palette.interval(kind))\" d=\"\(d)\"/>\n")
        }
        renderJitter(leg, into: &w)
        renderChanges(leg, into: &w)
        renderDigits(leg, into: &w)
        w.raw("</g>\n")
    }

    /// The lane's label in the left gutter: leg letter, who it is, codecs, MOS.
    private func renderLaneLabel(_ leg: Int, summary: PictureHeader.LegSummary?, into w: inout SVGWriter) {
        let centre = layout.envelopeCentre(leg)
        let gutterText = Double(PictureLayout.gutterLeft - 14 - 4)
        w.raw("<text x=\"14\" y=\"\(SVGWriter.format(centre - 20))\" font-size=\"24\" font-weight=\"bold\">")
        w.raw("\(SVGWriter.escaped(legs[leg].label, limit: 3))</text>\n")
        // An address (a leg without SIP) is set a size smaller when it would not fit at 12 px.
        let roleSize = textWidth(legs[leg].role, size: 12) > gutterText ? 10.0 : 12.0
        w.raw("<text x=\"14\" y=\"\(SVGWriter.format(centre))\" font-size=\"\(SVGWriter.format(roleSize))\"")
        w.raw(" fill=\"\(Palette.mutedText)\">")
        w.raw("\(SVGWriter.escaped(fitted(legs[leg].role, width: gutterText, size: roleSize)))</text>\n")
        guard let summary else { return }
        if !summary.codecs.isEmpty {
            w.raw(
                "<text x=\"14\" y=\"\(SVGWriter.format(centre + 16))\" font-size=\"12\" fill=\"\(Palette.mutedText)\">"
            )
            w.raw("\(SVGWriter.escaped(fitted(summary.codecs, width: gutterText, size: 12)))</text>\n")
        }
        if let mos = summary.mos {
            w.raw("<text x=\"14\" y=\"\(SVGWriter.format(centre + 34))\" font-size=\"12\" font-weight=\"bold\"")
            w.raw(" fill=\"\(Palette.quality(mos))\">MOS \(SVGWriter.fixed(mos, decimals: 2))</text>\n")
        }
    }

    /// The level envelope: per column the peak and the RMS level, −60…0 dBFS mapped to the centre line…the edge,
    /// drawn as the top half of a band and mirrored (a `<use>`), as a staircase of one step per pixel column.
    private func renderEnvelope(_ leg: Int, into w: inout SVGWriter) {
        let lane = lanes[leg]
        let half = Double(PictureLayout.envelopeHeight) / 2 - 1
        var peaks = [Double](repeating: 0, count: lane.columns)
        var rms = [Double](repeating: 0, count: lane.columns)
        for index in 0..<lane.columns where lane.count[index] > 0 {
            peaks[index] = half * levelFraction(power: Double(lane.peak[index]) * Double(lane.peak[index]))
            rms[index] = half * levelFraction(power: Double(lane.energy[index]) / Double(lane.count[index]))
        }
        let centre = SVGWriter.format(layout.envelopeCentre(leg))
        w.raw("<defs>")
        for (name, heights) in [("peak", peaks), ("rms", rms)] {
            w.raw("<path id=\"\(name)-\(leg)\" d=\"M\(SVGWriter.format(layout.plotLeft)) 0")
            var index = 0
            while index < heights.count {
                // One step per run of equal heights (silence is one step, however long).
                let height = SVGWriter.format(-heights[index])
                var run = 1
                while index + run < heights.count && SVGWriter.format(-heights[index + run]) == height { run += 1 }
                w.raw("V\(height)h\(run)")
                index += run
            }
            w.raw("V0Z\"/>")
        }
        w.raw("</defs>\n")
        for (name, colour) in [("peak", Palette.peak), ("rms", Palette.rms)] {
            w.raw("<use xlink:href=\"#\(name)-\(leg)\" fill=\"\(colour)\" transform=\"translate(0 \(centre))\"/>")
            w.raw(
                "<use xlink:href=\"#\(name)-\(leg)\" fill=\"\(colour)\" transform=\"translate(0 \(centre)) scale(1 -1)\"/>\n"
            )
        }
        w.raw("<path d=\"M\(SVGWriter.format(layout.plotLeft)) \(centre)h\(layout.columns)\" stroke=\"\(Palette.rms)\"")
        w.raw(" stroke-width=\"0.5\" stroke-opacity=\"0.6\"/>\n")
    }

    /// A path of rectangles, one per run of columns whose `bits` include `bit`, widened to `minimumWidth` px
    /// around their middle; empty when there is none.
    func runsPath(_ bits: [UInt8], bit: UInt8, top: Double, height: Int, minimumWidth: Int) -> String {
        var d = ""
        var index = 0
        while index < bits.count {
            guard bits[index] & bit != 0 else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bits.count && bits[end] & bit != 0 { end += 1 }
            let width = max(end - index, minimumWidth)
            let start = min(max(0, index - (width - (end - index)) / 2), bits.count - width)
            d += "M\(SVGWriter.format(layout.x(column: max(0, start)))) \(SVGWriter.format(top))"
            d += "h\(min(width, bits.count))v\(height)h-\(min(width, bits.count))Z"
            index = end
        }
        return d
    }
}

/// Where a mean-square power of 16-bit samples falls on the −60…0 dBFS scale, 0…1.
func levelFraction(power: Double) -> Double {
    guard power > 0 else { return 0 }
    let dBFS = 10 * Elementary.log10(power / (32768.0 * 32768.0))
    return min(1, max(0, (dBFS + 60) / 60))
}
