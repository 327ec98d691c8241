extension PictureBuilder {
    /// Writes the whole document: header, lanes, time axis, legend.
    func render(header: PictureHeader, into w: inout SVGWriter) {
        let width = layout.width
        let height = layout.height
        w.raw(
            // xlink:href rather than SVG 2's href: older viewers (and some mail clients' previews) know only it.
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                + " width=\"\(width)\" height=\"\(height)\""
                + " viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\""
                + " fill=\"\(Palette.text)\">\n"
        )
        w.raw("<title>Call \(SVGWriter.escaped(header.title))</title>\n")
        w.raw("<rect width=\"\(width)\" height=\"\(height)\" fill=\"\(Palette.background)\"/>\n")
        renderHeader(header, into: &w)
        let axis = TimeAxis(duration: durationMilliseconds / 1000, width: Double(layout.columns))
        for leg in lanes.indices {
            let summary = header.legs.indices.contains(leg) ? header.legs[leg] : nil
            renderLane(leg, summary: summary, axis: axis, into: &w)
        }
        renderAxis(axis, into: &w)
        renderLegend(into: &w)
        w.raw("</svg>\n")
    }

    /// The call's name, its start and length, and each leg's codecs and score.
    private func renderHeader(_ header: PictureHeader, into w: inout SVGWriter) {
        let title = header.title.isEmpty ? "(no call id)" : header.title
        w.raw(
            "<text x=\"16\" y=\"26\" font-size=\"18\" font-weight=\"bold\">Call \(SVGWriter.escaped(title, limit: 90))</text>\n"
        )
        var facts: [String] = []
        if let start = header.startNanoseconds { facts.append("started \(utcText(epochNanoseconds: start))") }
        facts.append("\(TimeAxis.durationText(durationMilliseconds / 1000)) long")
        if !header.note.isEmpty { facts.append(header.note) }
        let line = SVGWriter.escaped(facts.joined(separator: " · "), limit: 150)
        w.raw("<text x=\"16\" y=\"46\" font-size=\"13\" fill=\"\(Palette.mutedText)\">\(line)</text>\n")
        for leg in legs.indices {
            let summary = header.legs.indices.contains(leg) ? header.legs[leg] : nil
            let x = 16 + leg * (layout.width - 32) / 2
            w.raw("<text x=\"\(x)\" y=\"68\" font-size=\"13\">")
            w.raw("<tspan font-weight=\"bold\">\(SVGWriter.escaped(legs[leg].label, limit: 3))</tspan>")
            w.raw(" \(SVGWriter.escaped(legs[leg].role, limit: 24))")
            if let summary {
                if !summary.codecs.isEmpty { w.raw(" · \(SVGWriter.escaped(summary.codecs, limit: 30))") }
                if let mos = summary.mos {
                    w.raw(" · <tspan font-weight=\"bold\" fill=\"\(Palette.quality(mos))\">MOS ")
                    w.raw("\(SVGWriter.fixed(mos, decimals: 2))</tspan>")
                }
                if let r = summary.rFactor { w.raw(" · R \(SVGWriter.fixed(r, decimals: 1))") }
                if let loss = summary.lossPercent { w.raw(" · loss \(SVGWriter.fixed(loss, decimals: 1)) %") }
            }
            w.raw("</text>\n")
        }
    }

    /// Tick marks and labels under the last lane.
    private func renderAxis(_ axis: TimeAxis, into w: inout SVGWriter) {
        let top = layout.axisTop
        w.raw("<g stroke=\"\(Palette.axis)\" stroke-width=\"1\">")
        w.raw("<path d=\"M\(SVGWriter.format(layout.plotLeft)) \(SVGWriter.format(top + 0.5))H")
        w.number(layout.plotRight)
        for tick in axis.ticks {
            let x = (layout.x(fraction: tick / axis.duration)).rounded() + 0.5
            w.raw("M\(SVGWriter.format(x)) \(SVGWriter.format(top))v5")
        }
        w.raw("\"/></g>\n")
        w.raw("<g font-size=\"11\" fill=\"\(Palette.mutedText)\" text-anchor=\"middle\">")
        for tick in axis.ticks {
            let x = layout.x(fraction: tick / axis.duration).rounded() + 0.5
            w.raw("<text x=\"\(SVGWriter.format(x))\" y=\"\(SVGWriter.format(top + 18))\">\(axis.label(tick))</text>")
        }
        w.raw("</g>\n")
    }

    /// What each colour and mark means, in as many rows as the width needs (``PictureLayout/legendRows``).
    private func renderLegend(into w: inout SVGWriter) {
        w.raw("<g font-size=\"12\">")
        for (item, position) in zip(Legend.items, Legend.positions(width: layout.width)) {
            let x = position.x
            let y = layout.axisTop + Double(PictureLayout.axisHeight) + 16 + Double(position.row) * Legend.rowHeight
            let top = SVGWriter.format(y - 10)
            switch item.swatch {
            case .box(let colour):
                w.raw("<rect x=\"\(SVGWriter.format(x))\" y=\"\(top)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>")
            case .line(let colour, let dash):
                let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                w.raw("<path d=\"M\(SVGWriter.format(x)) \(SVGWriter.format(y - 4))h14\" stroke=\"\(colour)\"")
                w.raw(" stroke-width=\"1.5\"\(dashAttribute)/>")
            case .badge:
                w.raw("<rect x=\"\(SVGWriter.format(x))\" y=\"\(top)\" width=\"12\" height=\"12\" rx=\"2\"")
                w.raw(" fill=\"\(Palette.dtmfFill)\" stroke=\"\(Palette.dtmfStroke)\"/>")
            }
            w.raw(
                "<text x=\"\(SVGWriter.format(x + 18))\" y=\"\(SVGWriter.format(y))\">\(SVGWriter.escaped(item.text))</text>"
            )
        }
        w.raw("</g>\n")
    }
}

/// The legend's items and where they go.
enum Legend {
    enum Swatch {
        case box(String)
        case line(String, dash: String?)
        case badge
    }

    static let items: [(swatch: Swatch, text: String)] = [
        (.box(Palette.peak), "peak level"),
        (.box(Palette.rms), "RMS level (−60…0 dBFS)"),
        (.box(Palette.interval(.lost)), IntervalKind.lost.title),
        (.box(Palette.interval(.concealed)), IntervalKind.concealed.title),
        (.box(Palette.interval(.comfortNoise)), IntervalKind.comfortNoise.title),
        (.box(Palette.interval(.silence)), IntervalKind.silence.title),
        (.line(Palette.jitter, dash: nil), "jitter (right scale)"),
        (.badge, "DTMF digit"),
        (.line(Palette.change, dash: "3 2"), "SSRC change"),
        (.line(Palette.change, dash: nil), "codec change"),
    ]

    static let rowHeight = 22.0

    /// Each item's left edge and row, wrapping at the picture's width.
    static func positions(width: Int) -> [(x: Double, row: Int)] {
        var x = 16.0
        var row = 0
        return items.map { item in
            let itemWidth = 18 + textWidth(item.text, size: 12) + 16
            if x + itemWidth > Double(width) - 16 && x > 16 {
                x = 16
                row += 1
            }
            defer { x += itemWidth }
            return (x, row)
        }
    }
}

/// `text` cut (with an ellipsis) to fit `width` px at `size` px.
func fitted(_ text: String, width: Double, size: Double) -> String {
    guard textWidth(text, size: size) > width else { return text }
    var cut = Substring(text)
    while !cut.isEmpty && textWidth(String(cut) + "…", size: size) > width { cut = cut.dropLast() }
    return String(cut) + "…"
}

/// The width of `text` in a sans-serif face at `size` px, estimated from the advance widths of DejaVu Sans (the
/// usual fallback for `sans-serif`) by character class, a little generously; used only to keep labels apart.
func textWidth(_ text: String, size: Double) -> Double {
    var ems = 0.0
    for character in text {
        switch character {
        case "i", "l", "j", "I", ".", ",", ":", ";", "'", "|", "!", " ", "t", "f", "r": ems += 0.36
        case "m", "w", "M", "W", "@", "%": ems += 0.9
        case "A"..."Z", "#", "→", "…": ems += 0.72
        case "0"..."9": ems += 0.64
        default: ems += 0.6
        }
    }
    return ems * size
}
