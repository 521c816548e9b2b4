import Glibc
import JSON
import SystemSupport

/// Which Tesseract language data is installed, and which to use for a request's language.
/// Request languages come as BCP 47 tags (`de`, `de-DE`, `pt-BR`); Tesseract names its data by
/// ISO 639-2 codes (`deu`, `por`), mapped with Debian's `iso-codes` list.
public enum TesseractLanguages {
    /// The data every reading falls back to.
    public static let fallback = "eng"

    /// `TESSDATA_PREFIX`, else where Debian's `tesseract-ocr-*` packages put their data.
    public static var directory: String? {
        if let prefix = getenv("TESSDATA_PREFIX") {
            let path = String(cString: prefix)
            if !path.isEmpty { return path }
        }
        return ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/local/share/tessdata"]
            .first { access($0 + "/" + fallback + ".traineddata", R_OK) == 0 }
    }

    /// Installed language data names (`eng`, `deu`), without the orientation data `osd`.
    public static func installed(in directory: String? = directory) -> Set<String> {
        guard let directory, let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names = Set<String>()
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".traineddata") else { continue }
            let code = String(name.dropLast(".traineddata".count))
            if code != "osd" && !code.isEmpty { names.insert(code) }
        }
        return names
    }

    /// The data to read a photo with for `requested` (a BCP 47 tag, a Tesseract code, or nil):
    /// that language plus English when both are installed (labels mix them), else English.
    public static func choose(for requested: String?, installed: Set<String> = installed()) -> String {
        guard let requested, let code = tesseractCode(requested), installed.contains(code), code != fallback else {
            return fallback
        }
        return installed.contains(fallback) ? "\(code)+\(fallback)" : code
    }

    /// `deu` for `de-DE`, `de` or `deu`; nil when nothing maps.
    static func tesseractCode(_ tag: String) -> String? {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        guard primary.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        if primary.count == 3 { return primary }
        guard primary.count == 2 else { return nil }
        // Chinese data is split by script; the tag's region says which.
        if primary == "zh" { return tag.lowercased().contains("tw") || tag.lowercased().contains("hant") ? "chi_tra" : "chi_sim" }
        return alpha3[primary]
    }

    /// ISO 639-1 → ISO 639-2/T from `/usr/share/iso-codes/json/iso_639-2.json` (empty when absent).
    static let alpha3: [String: String] = {
        guard let bytes = try? BoundedFile.read("/usr/share/iso-codes/json/iso_639-2.json", limit: 4_000_000).get() else { return [:] }
        guard let list = (try? JSONParser.parse(String(decoding: bytes, as: UTF8.self)))?["639-2"]?.arrayValue else { return [:] }
        var map: [String: String] = [:]
        for entry in list {
            if let two = entry["alpha_2"]?.stringValue, let three = entry["alpha_3"]?.stringValue { map[two] = three }
        }
        return map
    }()
}
