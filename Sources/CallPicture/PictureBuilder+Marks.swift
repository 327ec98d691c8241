extension PictureBuilder {
    /// The jitter as a thin line over the level, on its own scale (0 at the bottom of the level, a round figure at
    /// the top, labelled in the right gutter); columns without a figure break the line.
    func renderJitter(_ leg: Int, into w: inout SVGWriter) {
        let values = lanes[leg].jitter
        guard let largest = values.max(), largest >= 0 else { return }
        let scale = Self.jitterScale(Double(largest))
        let top = layout.envelopeTop(leg) + 4
        let bottom = layout.envelopeTop(leg) + Double(PictureLayout.envelopeHeight) - 1
        // Relative steps (`l1-0.3`), from y rounded to tenths first so that nothing accumulates. Columns without a
        // figure are bridged (a call shorter than the picture is wide has a packet every few columns) unless the
        // figures stop for more than a second: there the line breaks.
        let columnMilliseconds = durationMilliseconds / Double(values.count)
        let bridge = max(1, Int(1000 / columnMilliseconds))
        var d = ""
        var previous: (column: Int, y: Int)?
        var lone = false
        for (index, value) in values.enumerated() where value >= 0 {
            let y = Int(((bottom - (bottom - top) * min(1, Double(value) / scale)) * 10).rounded())
            if let previous, index - previous.column <= bridge {
                d += "l\(index - previous.column) \(SVGWriter.format(Double(y - previous.y) / 10))"
                lone = false
            } else {
                if lone { d += "h1" }  // a lone figure still shows, as a dash
                d += "M\(SVGWriter.format(layout.x(column: index) + 0.5)) \(SVGWriter.format(Double(y) / 10))"
                lone = true
            }
            previous = (index, y)
        }
        if lone { d += "h1" }
        // Over a white halo, so that the line reads over the level band as well as over the background.
        w.raw("<defs><path id=\"jitter-\(leg)\" d=\"\(d)\"/></defs>\n")
        w.raw("<g fill=\"none\" stroke-linejoin=\"round\"><use xlink:href=\"#jitter-\(leg)\" stroke=\"#ffffff\"")
        w.raw(
            " stroke-opacity=\"0.85\" stroke-width=\"4\"/><use xlink:href=\"#jitter-\(leg)\" stroke=\"\(Palette.jitter)\""
        )
        w.raw(" stroke-width=\"1.6\"/></g>\n")
        let x = SVGWriter.format(layout.plotRight + 4)
        w.raw("<g font-size=\"11\" fill=\"\(Palette.jitter)\">")
        w.raw("<path d=\"M\(SVGWriter.format(layout.plotRight)) \(SVGWriter.format(top))h3M")
        w.raw("\(SVGWriter.format(layout.plotRight)) \(SVGWriter.format(bottom))h3\" stroke=\"\(Palette.jitter)\"/>")
        w.raw("<text x=\"\(x)\" y=\"\(SVGWriter.format(top + 4))\">\(SVGWriter.fixed(scale, decimals: 0)) ms</text>")
        w.raw("<text x=\"\(x)\" y=\"\(SVGWriter.format(bottom + 4))\">0</text>")
        w.raw("<text x=\"\(x)\" y=\"\(SVGWriter.format((top + bottom) / 2 + 4))\">jitter</text></g>\n")
    }

    /// The top of the jitter scale: the smallest of 5, 10, 20, 50, 100, … ms at or above `largest`.
    static func jitterScale(_ largest: Double) -> Double {
        let scales: [Double] = [5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
        return scales.first { $0 >= largest } ?? scales[scales.count - 1]
    }

    /// Codec and SSRC changes: a line through the lane (dashed for SSRC, solid for codec) and a label in the top
    /// row; a label that would overlap the previous one is folded into it as `+N`.
    func renderChanges(_ leg: Int, into w: inout SVGWriter) {
        let lane = lanes[leg]
        guard !lane.changes.isEmpty else { return }
        let top = layout.laneTop(leg) + 2
        let bottom = layout.stripTop(leg) + Double(PictureLayout.stripHeight)
        var labels: [(x: Double, text: String, hidden: Int)] = []
        // One path per kind of line (a column's changes of one kind share a line), so that a capture changing
        // SSRC at every packet still makes a picture of bounded size.
        var lines: [Bool: String] = [:]
        for column in lane.changes.keys.sorted() {
            let x = layout.x(column: column).rounded() + 0.5
            var drawn: Set<Bool> = []
            for change in lane.changes[column] ?? [] {
                let dashed = change.kind == .ssrc
                if drawn.insert(dashed).inserted {
                    lines[dashed, default: ""] +=
                        "M\(SVGWriter.format(x)) \(SVGWriter.format(top))V\(SVGWriter.format(bottom))"
                }
                let text = SVGWriter.escaped(change.label, limit: 28)
                if let last = labels.last, last.x + textWidth(labelText(last), size: 11) + 12 > x {
                    labels[labels.count - 1].hidden += 1
                } else {
                    labels.append((x, text, 0))
                }
            }
            if let hidden = lane.hiddenChanges[column], !labels.isEmpty { labels[labels.count - 1].hidden += hidden }
        }
        for dashed in [true, false] {
            guard let d = lines[dashed] else { continue }
            w.raw("<path d=\"\(d)\" stroke=\"\(Palette.change)\" stroke-width=\"1.2\"")
            w.raw(dashed ? " stroke-dasharray=\"3 2\"/>\n" : "/>\n")
        }
        w.raw("<g font-size=\"11\" fill=\"\(Palette.change)\">")
        let baseline = SVGWriter.format(layout.laneTop(leg) + Double(PictureLayout.changeRowHeight) - 4)
        for label in labels {
            // Near the right edge the label goes to the left of its line.
            let text = labelText(label)
            let rightAligned =
                label.x + 4 + textWidth(text, size: 11) > layout.plotRight + Double(PictureLayout.gutterRight)
            let x = rightAligned ? label.x - 4 : label.x + 4
            let anchor = rightAligned ? " text-anchor=\"end\"" : ""
            w.raw("<text x=\"\(SVGWriter.format(x))\" y=\"\(baseline)\"\(anchor)>\(text)</text>")
        }
        w.raw("</g>\n")
    }

    private func labelText(_ label: (x: Double, text: String, hidden: Int)) -> String {
        label.hidden == 0 ? label.text : "\(label.text) +\(label.hidden)"
    }

    /// DTMF digits as badges in their row: digits pressed closer together than a badge is wide share one badge
    /// (`1234`), placed at the first; a tick under each digit marks when it was pressed.
    func renderDigits(_ leg: Int, into w: inout SVGWriter) {
        let lane = lanes[leg]
        guard !lane.digits.isEmpty else { return }
        var badges: [(x: Double, text: String, ticks: [Double])] = []
        for column in lane.digits.keys.sorted() {
            let x = layout.x(column: column) + 0.5
            let digits = lane.digits[column] ?? ""
            if let last = badges.last, last.x + badgeWidth(last.text) + 2 > x - badgeWidth(digits) / 2 {
                if badges[badges.count - 1].text.count < 16 { badges[badges.count - 1].text += digits }
                badges[badges.count - 1].ticks.append(x)
            } else {
                badges.append((x, digits, [x]))
            }
        }
        let centre = layout.digitRowCentre(leg)
        let tickBottom = layout.envelopeTop(leg) + 6
        w.raw("<g class=\"dtmf\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\">")
        for badge in badges {
            let text = badge.text.count > 16 ? String(badge.text.prefix(15)) + "…" : badge.text
            // Wide enough to stand over every digit's tick.
            let width = max(badgeWidth(text), (badge.ticks.last ?? badge.x) - badge.x + 14)
            let left = min(
                max(layout.plotLeft, badge.x - 7),
                layout.plotRight + Double(PictureLayout.gutterRight) - width
            )
            w.raw("<path d=\"")
            for tick in badge.ticks {
                w.raw("M\(SVGWriter.format(tick)) \(SVGWriter.format(centre + 7))V\(SVGWriter.format(tickBottom))")
            }
            w.raw("\" stroke=\"\(Palette.dtmfStroke)\" stroke-width=\"1.5\"/>")
            w.raw("<rect x=\"\(SVGWriter.format(left))\" y=\"\(SVGWriter.format(centre - 8))\" width=\"")
            w.raw("\(SVGWriter.format(width))\" height=\"16\" rx=\"3\" fill=\"\(Palette.dtmfFill)\"")
            w.raw(" stroke=\"\(Palette.dtmfStroke)\"/>")
            w.raw("<text x=\"\(SVGWriter.format(left + width / 2))\" y=\"\(SVGWriter.format(centre + 4))\">")
            w.raw("\(SVGWriter.escaped(text))</text>\n")
        }
        w.raw("</g>\n")
    }

    private func badgeWidth(_ text: String) -> Double {
        max(14, textWidth(text, size: 11) + 6)
    }
}
