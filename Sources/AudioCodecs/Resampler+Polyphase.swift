extension Resampler {
    /// Computes the output samples whose input windows are complete in `pending` (at most `limit` of them),
    /// appends them to `output`, and drops the input that no later output sample needs.
    ///
    /// Output sample k is at position p_k = firstPosition + k·M of the design rate; it is branch p_k mod L of
    /// the filter applied to the `phaseLength` input samples ending with input ⌊p_k / L⌋.
    mutating func filterPending(_ filter: ResamplerFilter, limit: Int, appendingTo output: inout [Int16]) {
        let (up, down, taps) = (filter.upFactor, filter.downFactor, filter.phaseLength)
        let position = firstPosition + outputCount * down
        // Output k + j needs input up to ⌊(position + j·M) / L⌋, which is in `pending` while that is below
        // `end`, that is while position + j·M < end·L.
        let end = pendingOrigin + pending.count
        let count = min(limit, (end * up - position + down - 1) / down)
        guard count > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        let firstWindow = position / up - (taps - 1) - pendingOrigin
        pending.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                Self.run(
                    filter,
                    phase: position % up,
                    input: input.baseAddress! + firstWindow,
                    output: out.baseAddress! + start,
                    count: count
                )
            }
        }
        outputCount += count
        let nextWindow = (firstPosition + outputCount * down) / up - (taps - 1)
        let consumed = min(nextWindow - pendingOrigin, pending.count)
        guard consumed > 0 else { return }
        pending.removeFirst(consumed)
        pendingOrigin += consumed
    }

    /// Writes `count` output samples starting at branch `phase` with the window that starts at `input`.
    static func run(
        _ filter: ResamplerFilter,
        phase: Int,
        input: UnsafePointer<Int16>,
        output: UnsafeMutablePointer<Int16>,
        count: Int
    ) {
        filter.phases.withUnsafeBufferPointer { phases in
            filter.inputSteps.withUnsafeBufferPointer { steps in
                filter.nextPhases.withUnsafeBufferPointer { next in
                    let walk = Walk(
                        steps: steps.baseAddress!,
                        next: next.baseAddress!,
                        taps: filter.phaseLength,
                        phase: phase
                    )
                    let h = phases.baseAddress!
                    if filter.sumsLanesWide {
                        let bits = filter.fractionBits
                        walk.run(input, output, count) {
                            ResamplerFilter.wideDot(h + $0, $1, walk.taps, fractionBits: bits)
                        }
                        return
                    }
                    // The branch length as a constant where it is a common one, so that the dot product
                    // unrolls: 64 from 8 kHz going up, 80 from 16 kHz, 96 from 12, 24 and 44.1 kHz.
                    switch walk.taps {
                    case 64 where filter.upFactor == 2 && filter.downFactor == 1:
                        // 8 → 16 kHz: both branches on each input window in turn, as the first resampler did.
                        walk.runByTwo(input, output, count) { ResamplerFilter.dot(h + $0, $1, 64) }
                    case 64: walk.run(input, output, count) { ResamplerFilter.dot(h + $0, $1, 64) }
                    case 80: walk.run(input, output, count) { ResamplerFilter.dot(h + $0, $1, 80) }
                    case 96: walk.run(input, output, count) { ResamplerFilter.dot(h + $0, $1, 96) }
                    default: walk.run(input, output, count) { ResamplerFilter.dot(h + $0, $1, walk.taps) }
                    }
                }
            }
        }
    }

    /// The walk through the branches: one dot product per output sample, then the branch and the window move
    /// on by the filter's tables.
    struct Walk {
        let steps: UnsafePointer<Int32>
        let next: UnsafePointer<Int32>
        let taps: Int
        let phase: Int

        /// Writes `dot(offset of the branch's taps, window)` for `count` output samples.
        @inline(__always)
        func run(
            _ input: UnsafePointer<Int16>,
            _ output: UnsafeMutablePointer<Int16>,
            _ count: Int,
            _ dot: (Int, UnsafePointer<Int16>) -> Int16
        ) {
            var window = input
            var branch = phase
            for k in 0..<count {
                output[k] = dot(branch &* taps, window)
                window += Int(steps[branch])
                branch = Int(next[branch])
            }
        }

        /// ``run(_:_:_:_:)`` for L = 2, M = 1: the two branches on each window, with no table lookups.
        @inline(__always)
        func runByTwo(
            _ input: UnsafePointer<Int16>,
            _ output: UnsafeMutablePointer<Int16>,
            _ count: Int,
            _ dot: (Int, UnsafePointer<Int16>) -> Int16
        ) {
            var window = input
            var y = output
            var remaining = count
            if phase == 1 && remaining > 0 {
                y[0] = dot(taps, window)
                (window, y, remaining) = (window + 1, y + 1, remaining - 1)
            }
            for pair in 0..<remaining / 2 {
                y[2 &* pair] = dot(0, window + pair)
                y[2 &* pair &+ 1] = dot(taps, window + pair)
            }
            if remaining % 2 == 1 { y[remaining - 1] = dot(0, window + remaining / 2) }
        }
    }
}
