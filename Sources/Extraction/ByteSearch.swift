/// Substring search over UTF-8 bytes. The readers test every element's class names and
/// text against dozens of words; String.contains(String) is far slower for that.
enum ByteSearch {
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var k = 1
                while k < needle.count && haystack[index + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    static func containsAny(_ haystack: [UInt8], _ needles: [[UInt8]]) -> Bool {
        needles.contains { contains(haystack, $0) }
    }

    static func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }
}
