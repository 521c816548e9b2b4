/// A parsed response as a test sees it (head fields and body, de-chunked).
struct HTTPMessage {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Parses complete responses from the start of `bytes`; returns them and whether the last is complete.
    /// `headIndexes`: positions of responses to HEAD requests, which have no body whatever their headers say.
    static func parseAll(_ bytes: [UInt8], headIndexes: Set<Int> = []) -> [HTTPMessage] {
        var messages: [HTTPMessage] = []
        var rest = bytes[...]
        while let message = parseOne(&rest, isHead: headIndexes.contains(messages.count)) { messages.append(message) }
        return messages
    }

    /// One complete response, or nil when incomplete.
    static func parseOne(_ bytes: inout ArraySlice<UInt8>, isHead: Bool = false) -> HTTPMessage? {
        let crlfcrlf: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = bytes.firstRange(of: crlfcrlf) else { return nil }
        let headText = String(decoding: bytes[bytes.startIndex..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var message = HTTPMessage(status: status, headers: headers, body: [])
        var cursor = headEnd.upperBound
        if status == 100 {
            bytes = bytes[cursor...]
            return parseOne(&bytes, isHead: isHead)
        }
        if isHead || status == 204 || status == 304 {
            bytes = bytes[cursor...]
            return message
        }
        if let length = message.header("Content-Length").flatMap({ Int($0) }) {
            guard bytes.endIndex - cursor >= length else { return nil }
            message.body = Array(bytes[cursor..<cursor + length])
            bytes = bytes[(cursor + length)...]
            return message
        }
        if message.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                guard let lineEnd = bytes[cursor...].firstRange(of: [13, 10] as [UInt8]) else { return nil }
                let sizeText = String(decoding: bytes[cursor..<lineEnd.lowerBound], as: UTF8.self)
                guard let size = Int(sizeText, radix: 16) else { return nil }
                cursor = lineEnd.upperBound
                guard bytes.endIndex - cursor >= size + 2 else { return nil }
                message.body.append(contentsOf: bytes[cursor..<cursor + size])
                cursor += size + 2
                if size == 0 { break }
            }
            bytes = bytes[cursor...]
            return message
        }
        // No length: a body until close.
        message.body = Array(bytes[cursor...])
        bytes = bytes[bytes.endIndex...]
        return message
    }
}

import Foundation
