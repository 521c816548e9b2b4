/// A tiny RGB raster for drawing the catalog's sample photos: flat shapes with soft light, so
/// each product has a layout of its own that a perceptual hash tells apart.
struct Canvas {
    let width: Int
    let height: Int
    private(set) var rgb: [UInt8]

    typealias Color = (r: Int, g: Int, b: Int)

    init(width: Int, height: Int, top: Color, bottom: Color) {
        self.width = width
        self.height = height
        rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let t = Double(y) / Double(max(1, height - 1))
            let color = (r: mix(top.r, bottom.r, t), g: mix(top.g, bottom.g, t), b: mix(top.b, bottom.b, t))
            for x in 0..<width { set(x, y, color) }
        }
    }

    /// Fills pixels whose centre (in 0...1 units of the canvas) passes `inside`.
    mutating func fill(_ color: Color, shade: Double = 0.12, _ inside: (Double, Double) -> Bool) {
        for y in 0..<height {
            for x in 0..<width {
                let u = (Double(x) + 0.5) / Double(width)
                let v = (Double(y) + 0.5) / Double(height)
                guard inside(u, v) else { continue }
                // Light from the upper left, so shapes look a little like objects.
                let light = 1 + shade * (0.5 - (u + v) / 2)
                set(x, y, (r: clamp(Double(color.r) * light), g: clamp(Double(color.g) * light), b: clamp(Double(color.b) * light)))
            }
        }
    }

    mutating func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ color: Color) {
        fill(color) { u, v in u >= x0 && u <= x1 && v >= y0 && v <= y1 }
    }

    mutating func ellipse(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, _ color: Color) {
        fill(color) { u, v in pow2((u - cx) / rx) + pow2((v - cy) / ry) <= 1 }
    }

    mutating func ring(_ cx: Double, _ cy: Double, _ r0: Double, _ r1: Double, _ color: Color, upperOnly: Bool = false) {
        fill(color) { u, v in
            let d = (pow2(u - cx) + pow2(v - cy)).squareRoot()
            return d >= r0 && d <= r1 && (!upperOnly || v <= cy)
        }
    }

    /// Fills a block of whole pixels with one flat colour (no light): printed marks such as a
    /// barcode's bars, whose edges must stay sharp.
    mutating func fillPixels(x0: Int, y0: Int, x1: Int, y1: Int, _ color: Color) {
        for y in max(0, y0)..<min(height, y1) {
            for x in max(0, x0)..<min(width, x1) { set(x, y, color) }
        }
    }

    /// A downscaled copy (box filter), for thumbnails.
    func scaled(to size: Int) -> Canvas {
        var out = Canvas(width: size, height: size, top: (0, 0, 0), bottom: (0, 0, 0))
        for y in 0..<size {
            for x in 0..<size {
                var sum = (0, 0, 0)
                var n = 0
                for sy in (y * height / size)..<max(y * height / size + 1, (y + 1) * height / size) {
                    for sx in (x * width / size)..<max(x * width / size + 1, (x + 1) * width / size) {
                        let i = (sy * width + sx) * 3
                        sum = (sum.0 + Int(rgb[i]), sum.1 + Int(rgb[i + 1]), sum.2 + Int(rgb[i + 2]))
                        n += 1
                    }
                }
                out.set(x, y, (r: sum.0 / n, g: sum.1 / n, b: sum.2 / n))
            }
        }
        return out
    }

    var png: [UInt8] { PNGWriter.encode(width: width, height: height, rgb: rgb) }

    private mutating func set(_ x: Int, _ y: Int, _ c: Color) {
        let i = (y * width + x) * 3
        rgb[i] = UInt8(c.r)
        rgb[i + 1] = UInt8(c.g)
        rgb[i + 2] = UInt8(c.b)
    }
}

private func mix(_ a: Int, _ b: Int, _ t: Double) -> Int { Int((Double(a) * (1 - t) + Double(b) * t).rounded()) }
private func clamp(_ v: Double) -> Int { max(0, min(255, Int(v.rounded()))) }
private func pow2(_ v: Double) -> Double { v * v }
