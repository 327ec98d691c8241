/// 16-bit sample vectors for the codec core's inner loops (G.722 QMF and zero predictor, resampler).

/// Eight 16-bit lanes sign-extended to 32 bits. Spelled out lane by lane: the generic SIMD conversion
/// initializer is not inlined and costs a call per vector, while this becomes two unpack instructions.
@inline(__always)
func widen(_ v: SIMD8<Int16>) -> SIMD8<Int32> {
    SIMD8(Int32(v[0]), Int32(v[1]), Int32(v[2]), Int32(v[3]), Int32(v[4]), Int32(v[5]), Int32(v[6]), Int32(v[7]))
}

/// Eight 32-bit lanes truncated to 16 bits, spelled out lane by lane for the same reason.
@inline(__always)
func narrow(_ v: SIMD8<Int32>) -> SIMD8<Int16> {
    SIMD8(
        Int16(truncatingIfNeeded: v[0]),
        Int16(truncatingIfNeeded: v[1]),
        Int16(truncatingIfNeeded: v[2]),
        Int16(truncatingIfNeeded: v[3]),
        Int16(truncatingIfNeeded: v[4]),
        Int16(truncatingIfNeeded: v[5]),
        Int16(truncatingIfNeeded: v[6]),
        Int16(truncatingIfNeeded: v[7])
    )
}

/// Eight 16-bit values from `pointer` (any alignment).
@inline(__always)
func load8(_ pointer: UnsafePointer<Int16>) -> SIMD8<Int16> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Int16>.self)
}

/// Σ a[n] · b[n] over `count` values (a multiple of 8): 16-bit products summed in 32 bits, 8 lanes at a time
/// (the compiler emits 16-bit vector multiplies or multiply-adds for it). The caller makes sure the sum fits 32
/// bits.
@inline(__always)
func dotProduct(_ a: UnsafePointer<Int16>, _ b: UnsafePointer<Int16>, count: Int) -> Int32 {
    var sum = SIMD8<Int32>()
    var n = 0
    while n < count {
        sum &+= widen(load8(a + n)) &* widen(load8(b + n))
        n &+= 8
    }
    return sum.wrappedSum()
}

/// a[2i] · b[2i] + a[2i + 1] · b[2i + 1] for i in 0..<4, in 32 bits: the processor's 16-bit multiply-add of
/// adjacent pairs (it cannot overflow unless both products are −32768 · −32768).
@inline(__always)
func multiplyAddPairs(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD4<Int32> {
    let products = widen(a) &* widen(b)
    return SIMD4(products[0], products[2], products[4], products[6])
        &+ SIMD4(products[1], products[3], products[5], products[7])
}
