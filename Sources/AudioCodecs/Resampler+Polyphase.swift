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
                    let h = phases.baseAddress!
                    let steps = steps.baseAddress!
                    let next = next.baseAddress!
                    // The branch length as a constant where it is a common one, so that the dot product unrolls.
                    switch filter.phaseLength {
                    case 64: kernel(h, steps, next, taps: 64, phase: phase, input, output, count)
                    default: kernel(h, steps, next, taps: filter.phaseLength, phase: phase, input, output, count)
                    }
                }
            }
        }
    }

    /// The inner loop: one dot product per output sample, then the branch and window move on by the tables.
    @inline(__always)
    static func kernel(
        _ h: UnsafePointer<Int16>,
        _ steps: UnsafePointer<Int32>,
        _ next: UnsafePointer<Int32>,
        taps: Int,
        phase: Int,
        _ input: UnsafePointer<Int16>,
        _ output: UnsafeMutablePointer<Int16>,
        _ count: Int
    ) {
        var window = input
        var branch = phase
        for k in 0..<count {
            output[k] = ResamplerFilter.dot(h + branch &* taps, window, taps)
            window += Int(steps[branch])
            branch = Int(next[branch])
        }
    }
}
