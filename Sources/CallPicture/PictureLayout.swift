/// Where everything goes in the picture, in SVG user units (pixels at 100 %). Drawn for 1200 px wide: text is
/// 11 px at least, lanes tall enough to read a level, the plot as wide as the page allows.
package struct PictureLayout: Sendable, Equatable {
    package let width: Int
    package let legCount: Int

    /// Left gutter for each lane's label, right gutter for the jitter scale.
    package static let gutterLeft = 96
    package static let gutterRight = 58
    package static let headerHeight = 78
    /// Above each lane's level: a row for codec and SSRC change labels, then a row for DTMF digits.
    package static let changeRowHeight = 16
    package static let digitRowHeight = 20
    /// The level envelope (mirrored around its centre line) and the interval strip under it.
    package static let envelopeHeight = 112
    package static let stripGap = 3
    package static let stripHeight = 12
    package static let laneSpacing = 20
    package static let axisHeight = 28

    package init(width: Int, legCount: Int) {
        self.width = max(400, min(width, 4000))
        self.legCount = max(1, legCount)
    }

    /// Pixel columns of the plot: one per aggregated column.
    package var columns: Int { width - Self.gutterLeft - Self.gutterRight }
    package var plotLeft: Double { Double(Self.gutterLeft) }
    package var plotRight: Double { Double(width - Self.gutterRight) }

    package static var laneHeight: Int {
        changeRowHeight + digitRowHeight + envelopeHeight + stripGap + stripHeight
    }

    /// The top of lane `leg` (its change-label row).
    package func laneTop(_ leg: Int) -> Double {
        Double(Self.headerHeight + leg * (Self.laneHeight + Self.laneSpacing))
    }

    /// The envelope's top edge and its height; its centre line is halfway.
    package func envelopeTop(_ leg: Int) -> Double {
        laneTop(leg) + Double(Self.changeRowHeight + Self.digitRowHeight)
    }

    package func envelopeCentre(_ leg: Int) -> Double {
        envelopeTop(leg) + Double(Self.envelopeHeight) / 2
    }

    /// The top of the interval strip under the envelope.
    package func stripTop(_ leg: Int) -> Double {
        envelopeTop(leg) + Double(Self.envelopeHeight + Self.stripGap)
    }

    /// The middle of the DTMF row (where digit badges are centred).
    package func digitRowCentre(_ leg: Int) -> Double {
        laneTop(leg) + Double(Self.changeRowHeight) + Double(Self.digitRowHeight) / 2
    }

    /// The bottom of the last lane, where the time axis starts.
    package var axisTop: Double {
        laneTop(legCount - 1) + Double(Self.laneHeight)
    }

    package var height: Int {
        let rows = (Legend.positions(width: width).last?.row ?? 0) + 1
        return Int(axisTop) + Self.axisHeight + rows * Int(Legend.rowHeight) + 8
    }

    /// The left edge of column `index`.
    package func x(column index: Int) -> Double { plotLeft + Double(index) }

    /// The x of a point `fraction` of the way through the call.
    package func x(fraction: Double) -> Double {
        plotLeft + min(1, max(0, fraction.isFinite ? fraction : 0)) * Double(columns)
    }
}

/// The picture's colours: the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies) for
/// the marks, blues for the level.
enum Palette {
    static let background = "#ffffff"
    static let laneBackground = "#f6f7f9"
    static let grid = "#dde1e6"
    static let axis = "#6b7280"
    static let text = "#1f2937"
    static let mutedText = "#4b5563"
    static let peak = "#a9cbe8"
    static let rms = "#2b6cb0"
    static let jitter = "#7b2d8e"
    static let dtmfFill = "#f0e442"
    static let dtmfStroke = "#8a7d00"
    static let change = "#374151"
    static let good = "#047857"
    static let fair = "#b45309"
    static let poor = "#b91c1c"

    static func interval(_ kind: IntervalKind) -> String {
        switch kind {
        case .lost: return "#d55e00"
        case .concealed: return "#e69f00"
        case .comfortNoise: return "#009e73"
        case .silence: return "#9ca3af"
        }
    }

    /// The colour of a MOS: good from 4.0, fair from 3.6, poor below (R 80 and 70, where ITU-T G.109 Table 1 passes
    /// from "satisfied" to "some users dissatisfied" and on to "many users dissatisfied").
    static func quality(_ mos: Double) -> String {
        mos >= 4.0 ? good : (mos >= 3.6 ? fair : poor)
    }
}
