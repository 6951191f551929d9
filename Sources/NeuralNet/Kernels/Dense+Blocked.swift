/// Register-blocked loops for `Dense` on wide layers: sixteen rows (or units) at a time in four
/// `SIMD4<Double>` accumulators, so each loaded number feeds a multiply and an add straight into a
/// register instead of a load-add-store per element. Every element's sum still runs in the same
/// index order as the plain loops, so the results are the same bits.
extension Dense {
    /// Sixteen consecutive doubles in four vectors.
    struct Block16 {
        var a: SIMD4<Double>
        var b: SIMD4<Double>
        var c: SIMD4<Double>
        var d: SIMD4<Double>

        @inline(__always)
        init(_ pointer: UnsafePointer<Double>) {
            let raw = UnsafeRawPointer(pointer)
            a = raw.loadUnaligned(as: SIMD4<Double>.self)
            b = raw.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
            c = raw.loadUnaligned(fromByteOffset: 64, as: SIMD4<Double>.self)
            d = raw.loadUnaligned(fromByteOffset: 96, as: SIMD4<Double>.self)
        }

        @inline(__always)
        init(_ pointer: UnsafePointer<Double>, times scale: Double) {
            self.init(pointer)
            a *= scale
            b *= scale
            c *= scale
            d *= scale
        }

        /// `self += values · scale`, element by element (a product, then a sum: no fused multiply-add).
        @inline(__always)
        mutating func add(_ pointer: UnsafePointer<Double>, times scale: Double) {
            let other = Block16(pointer, times: scale)
            a += other.a
            b += other.b
            c += other.c
            d += other.d
        }

        @inline(__always)
        mutating func add(_ value: Double) {
            a += value
            b += value
            c += value
            d += value
        }

        @inline(__always)
        func store(to pointer: UnsafeMutablePointer<Double>) {
            let raw = UnsafeMutableRawPointer(pointer)
            raw.storeBytes(of: a, as: SIMD4<Double>.self)
            raw.storeBytes(of: b, toByteOffset: 32, as: SIMD4<Double>.self)
            raw.storeBytes(of: c, toByteOffset: 64, as: SIMD4<Double>.self)
            raw.storeBytes(of: d, toByteOffset: 96, as: SIMD4<Double>.self)
        }
    }

    @inline(__always)
    static func load4(_ pointer: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    static func store4(_ value: SIMD4<Double>, to pointer: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD4<Double>.self)
    }

    /// `column[row] = Σ_k sources_k[row] · weights_k (+ bias)` for `rows` rows, the sum in `k` order:
    /// `source(k)` gives the `k`-th column and `weight(k)` its factor, `terms` of them.
    @inline(__always)
    static func combineColumns(
        into column: UnsafeMutablePointer<Double>, rows: Int, terms: Int, bias: Double?,
        source: (Int) -> UnsafePointer<Double>, weight: (Int) -> Double
    ) {
        var row = 0
        while row &+ 16 <= rows {
            var sum = Block16(source(0) + row, times: weight(0))
            for term in 1..<terms { sum.add(source(term) + row, times: weight(term)) }
            if let bias { sum.add(bias) }
            sum.store(to: column + row)
            row &+= 16
        }
        while row &+ 4 <= rows {
            var sum = load4(source(0) + row) * weight(0)
            for term in 1..<terms { sum += load4(source(term) + row) * weight(term) }
            if let bias { sum += bias }
            store4(sum, to: column + row)
            row &+= 4
        }
        while row < rows {
            var sum = source(0)[row] * weight(0)
            for term in 1..<terms { sum += source(term)[row] * weight(term) }
            column[row] = bias.map { sum + $0 } ?? sum
            row &+= 1
        }
    }

    /// `gradientRow[unit] += Σ_row scale(row) · rowsOf(row)[unit]` for `units` units, the sum in row
    /// order: the weight gradient's row for one input, or (scale 1) the bias gradient.
    @inline(__always)
    static func accumulateRows(
        into gradientRow: UnsafeMutablePointer<Double>, units: Int, rows: Int,
        rowsOf: (Int) -> UnsafePointer<Double>, scale: (Int) -> Double
    ) {
        var unit = 0
        while unit &+ 16 <= units {
            var sum = Block16(gradientRow + unit)
            for row in 0..<rows { sum.add(rowsOf(row) + unit, times: scale(row)) }
            sum.store(to: gradientRow + unit)
            unit &+= 16
        }
        while unit &+ 4 <= units {
            var sum = load4(gradientRow + unit)
            for row in 0..<rows { sum += load4(rowsOf(row) + unit) * scale(row) }
            store4(sum, to: gradientRow + unit)
            unit &+= 4
        }
        while unit < units {
            var sum = gradientRow[unit]
            for row in 0..<rows { sum += scale(row) * rowsOf(row)[unit] }
            gradientRow[unit] = sum
            unit &+= 1
        }
    }

    /// `forward` for units `0..<tiledUnits` (a multiple of 4): eight rows × four units per pass over the
    /// inputs, in eight `SIMD4` accumulators, so each loaded piece of `x` feeds four units and each
    /// weight eight rows (fewer loads per product than one unit at a time). Rows past the last eight go
    /// through `combineColumns`. Each element's sum is the same as there: `x₀·w₀`, then `+ xₖ·wₖ` in `k`
    /// order, then `+ b`.
    static func forwardTiles(
        x: UnsafePointer<Double>, xStride: Int, weights: UnsafePointer<Double>, biases: UnsafePointer<Double>,
        z: UnsafeMutablePointer<Double>, zStride: Int, rows: Int, inputs: Int, units: Int, tiledUnits: Int
    ) {
        let tiledRows = rows & ~7
        var unit = 0
        while unit < tiledUnits {
            let w = weights + unit
            var row = 0
            while row < tiledRows {
                let xBlock = x + row
                var (v0, v1) = (load4(xBlock), load4(xBlock + 4))
                var (a0, a1, b0, b1) = (v0 * w[0], v1 * w[0], v0 * w[1], v1 * w[1])
                var (c0, c1, d0, d1) = (v0 * w[2], v1 * w[2], v0 * w[3], v1 * w[3])
                for input in 1..<inputs {
                    let column = xBlock + input &* xStride
                    let weightRow = w + input &* units
                    (v0, v1) = (load4(column), load4(column + 4))
                    var factor = weightRow[0]
                    a0 += v0 * factor
                    a1 += v1 * factor
                    factor = weightRow[1]
                    b0 += v0 * factor
                    b1 += v1 * factor
                    factor = weightRow[2]
                    c0 += v0 * factor
                    c1 += v1 * factor
                    factor = weightRow[3]
                    d0 += v0 * factor
                    d1 += v1 * factor
                }
                let out = z + (unit &* zStride &+ row)
                store4(a0 + biases[unit], to: out)
                store4(a1 + biases[unit], to: out + 4)
                store4(b0 + biases[unit &+ 1], to: out + zStride)
                store4(b1 + biases[unit &+ 1], to: out + (zStride &+ 4))
                store4(c0 + biases[unit &+ 2], to: out + 2 &* zStride)
                store4(c1 + biases[unit &+ 2], to: out + (2 &* zStride &+ 4))
                store4(d0 + biases[unit &+ 3], to: out + 3 &* zStride)
                store4(d1 + biases[unit &+ 3], to: out + (3 &* zStride &+ 4))
                row &+= 8
            }
            if tiledRows < rows {
                for column in unit..<unit &+ 4 {
                    combineColumns(
                        into: z + (column &* zStride &+ tiledRows), rows: rows &- tiledRows, terms: inputs,
                        bias: biases[column], source: { x + ($0 &* xStride &+ tiledRows) },
                        weight: { weights[$0 &* units &+ column] })
                }
            }
            unit &+= 4
        }
    }

    /// `weightGradient[input, unit] += Σ_row x[row, input] · dzRows[row][unit]` for the units
    /// `from..<units` (fewer than sixteen), the sum in row order: four inputs per pass over the rows,
    /// four units at a time in `SIMD4`s, then one, so four independent chains of additions overlap
    /// (one input at a time, each chain waits on its last addition: the 10-unit output layer of a
    /// 64-32-10 network spent most of its gradient time so). A pass short of four inputs repeats its
    /// last one, which computes the same numbers again. `dzRows` is `dz` transposed, `[rows][units]`.
    static func accumulateTail(
        x: UnsafePointer<Double>, xStride: Int, dzRows: UnsafePointer<Double>,
        weightGradient: UnsafeMutablePointer<Double>, rows: Int, inputs: Int, units: Int, from first: Int
    ) {
        var input = 0
        while input < inputs {
            let last = inputs &- 1
            let (i0, i1, i2, i3) = (
                input, Swift.min(input &+ 1, last), Swift.min(input &+ 2, last), Swift.min(input &+ 3, last)
            )
            let (x0, x1, x2, x3) = (x + i0 &* xStride, x + i1 &* xStride, x + i2 &* xStride, x + i3 &* xStride)
            let (g0, g1, g2, g3) = (
                weightGradient + i0 &* units, weightGradient + i1 &* units, weightGradient + i2 &* units,
                weightGradient + i3 &* units
            )
            var unit = first
            while unit &+ 4 <= units {
                var (s0, s1, s2, s3) = (load4(g0 + unit), load4(g1 + unit), load4(g2 + unit), load4(g3 + unit))
                for row in 0..<rows {
                    let dzRow = load4(dzRows + (row &* units &+ unit))
                    s0 += dzRow * x0[row]
                    s1 += dzRow * x1[row]
                    s2 += dzRow * x2[row]
                    s3 += dzRow * x3[row]
                }
                store4(s3, to: g3 + unit)
                store4(s2, to: g2 + unit)
                store4(s1, to: g1 + unit)
                store4(s0, to: g0 + unit)
                unit &+= 4
            }
            while unit < units {
                var (s0, s1, s2, s3) = (g0[unit], g1[unit], g2[unit], g3[unit])
                for row in 0..<rows {
                    let dzValue = dzRows[row &* units &+ unit]
                    s0 += x0[row] * dzValue
                    s1 += x1[row] * dzValue
                    s2 += x2[row] * dzValue
                    s3 += x3[row] * dzValue
                }
                (g3[unit], g2[unit], g1[unit], g0[unit]) = (s3, s2, s1, s0)
                unit &+= 1
            }
            input &+= 4
        }
    }
}
