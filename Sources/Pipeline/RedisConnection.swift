import CHiredis
import Glibc

/// Where Redis is: `redis://[user:password@]host:port[/db]` (Valkey speaks the same protocol).
public struct RedisAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int

    public init(host: String, port: Int = 6379, user: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// Parses a `redis://` URL; nil with the reason in `error` when it is not one.
    public static func parse(_ url: String) throws(RedisError) -> RedisAddress {
        guard url.hasPrefix("redis://") else { throw RedisError("a Redis store is given as redis://[user:password@]host:port[/db], not \"\(url)\"") }
        var rest = Substring(url.dropFirst("redis://".count))
        var address = RedisAddress(host: "")
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = String(credentials[..<colon]).removingPercentEscapes
                address.user = user.isEmpty ? nil : user
                address.password = String(credentials[credentials.index(after: colon)...]).removingPercentEscapes
            } else {
                address.password = String(credentials).removingPercentEscapes
            }
        }
        if let slash = rest.firstIndex(of: "/") {
            let db = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !db.isEmpty {
                guard let number = Int(db), number >= 0 else { throw RedisError("the database in \(url) must be a number") }
                address.database = number
            }
        }
        if rest.hasPrefix("[") {  // [IPv6]:port
            guard let close = rest.firstIndex(of: "]") else { throw RedisError("unclosed [ in \(url)") }
            address.host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { rest = rest.dropFirst() } else { rest = "" }
        } else if let colon = rest.lastIndex(of: ":") {
            address.host = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        } else {
            address.host = String(rest)
            rest = ""
        }
        if !rest.isEmpty {
            guard let port = Int(rest), (1...65535).contains(port) else { throw RedisError("the port in \(url) must be 1-65535") }
            address.port = port
        }
        guard !address.host.isEmpty else { throw RedisError("no host in \(url)") }
        return address
    }

    /// Without the password, for logs and `/readyz`.
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "redis://\(host):\(port)" + (database == 0 ? "" : "/\(database)")
    }
}

public struct RedisError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One Redis reply, copied out of hiredis' memory.
public enum RedisReply: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case array([RedisReply])
    case null
    case status(String)
    case error(String)

    var string: String? {
        switch self {
        case .string(let s), .status(let s): return s
        case .integer(let i): return String(i)
        default: return nil
        }
    }
    var integer: Int? {
        switch self {
        case .integer(let i): return i
        case .string(let s): return Int(s)
        default: return nil
        }
    }
    var array: [RedisReply]? { if case .array(let a) = self { return a }; return nil }
}

/// A blocking hiredis connection used by one thread at a time (the store's writer, reader or
/// tail thread, each with its own). It connects on first use and again after a failure, so a
/// Redis that comes back is used again without a restart.
final class RedisConnection: @unchecked Sendable {  // wraps a redisContext*; each instance is confined to one serial queue or thread
    let address: RedisAddress
    private let timeoutMillis: Int
    private var context: UnsafeMutablePointer<redisContext>?

    init(address: RedisAddress, timeoutMillis: Int) {
        self.address = address
        self.timeoutMillis = timeoutMillis
    }

    deinit { disconnect() }

    func disconnect() {
        if let context { redisFree(context) }
        context = nil
    }

    private func timeval(millis: Int) -> Glibc.timeval {
        Glibc.timeval(tv_sec: millis / 1000, tv_usec: (millis % 1000) * 1000)
    }

    /// The connection in use, or a new one. A new context has one owner at a time: this
    /// function while it authenticates and selects the database (directly on it, never through
    /// `command`'s reconnecting retry), then `self.context`. It is freed on any failure before
    /// it is published, so no path can hand out a context that was freed.
    private func connect() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        guard let made = redisConnectWithTimeout(address.host, Int32(address.port), timeval(millis: timeoutMillis)) else {
            throw RedisError("\(address): cannot allocate a connection")
        }
        if chiredis_has_error(made) != 0 {
            let message = String(cString: chiredis_error(made))
            redisFree(made)
            throw RedisError("\(address): \(message)")
        }
        _ = redisSetTimeout(made, timeval(millis: timeoutMillis))
        _ = redisEnableKeepAlive(made)
        _ = fcntl(chiredis_fd(made), F_SETFD, FD_CLOEXEC)
        do {
            if let password = address.password {
                try expectOK(try RedisConnection.call(made, address.user.map { ["AUTH", $0, password] } ?? ["AUTH", password], address))
            }
            if address.database != 0 { try expectOK(try RedisConnection.call(made, ["SELECT", String(address.database)], address)) }
        } catch {
            redisFree(made)
            throw error
        }
        context = made
        return made
    }

    private func expectOK(_ reply: RedisReply) throws(RedisError) {
        if case .error(let message) = reply { throw RedisError("\(address): \(message)") }
    }

    /// Sends one command and waits for its reply. `timeoutMillis` overrides the connection's
    /// timeout for this call (a blocking XREAD waits longer than a normal call may).
    /// A Redis error reply is returned as `.error`; a broken connection throws (and reconnects
    /// on the next call).
    func command(_ arguments: [String], timeoutMillis override: Int? = nil) throws(RedisError) -> RedisReply {
        try command(arguments.map { Array($0.utf8) }, timeoutMillis: override) { RedisConnection.copy($0) }
    }

    /// The same with arguments as bytes (a photo).
    func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        try command(arguments, timeoutMillis: nil) { RedisConnection.copy($0) }
    }

    /// The same with arguments as bytes, the reply's string as bytes (nil for any
    /// other reply).
    func bytes(_ arguments: [[UInt8]]) throws(RedisError) -> [UInt8]? {
        try command(arguments, timeoutMillis: nil) { reply in
            let r = reply.pointee
            guard r.type == REDIS_REPLY_STRING, let str = r.str else { return nil }
            return Array(UnsafeRawBufferPointer(start: str, count: Int(r.len)))
        }
    }

    private func command<R>(_ arguments: [[UInt8]], timeoutMillis override: Int?,
                            _ read: (UnsafeMutablePointer<redisReply>) -> R) throws(RedisError) -> R {
        let wasConnected = context != nil
        do {
            return try send(arguments, timeoutMillis: override, read)
        } catch {
            // A connection that sat idle may have died with a Redis restart: one more try on a
            // fresh one. (The scripts are written so that a repeated call does no harm.)
            guard wasConnected else { throw error }
            return try send(arguments, timeoutMillis: override, read)
        }
    }

    private func send<R>(_ arguments: [[UInt8]], timeoutMillis override: Int?,
                         _ read: (UnsafeMutablePointer<redisReply>) -> R) throws(RedisError) -> R {
        let context = try connect()
        if let override { _ = redisSetTimeout(context, timeval(millis: override)) }
        let raw = RedisConnection.withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else {
            let message = String(cString: chiredis_error(context))
            disconnect()  // frees `context`: nothing below may use it
            throw RedisError("\(address): \(message.isEmpty ? "connection lost" : message)")
        }
        if override != nil { _ = redisSetTimeout(context, timeval(millis: timeoutMillis)) }
        let reply = raw.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(raw) }
        return read(reply)
    }

    /// One command on a context that is not published yet (AUTH, SELECT while connecting).
    private static func call(_ context: UnsafeMutablePointer<redisContext>, _ arguments: [String],
                             _ address: RedisAddress) throws(RedisError) -> RedisReply {
        let raw = withArgv(arguments.map { Array($0.utf8) }) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else {
            let message = String(cString: chiredis_error(context))
            throw RedisError("\(address): \(message.isEmpty ? "connection lost" : message)")
        }
        defer { freeReplyObject(raw) }
        return copy(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func withArgv<R>(_ buffers: [[UInt8]], _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R) -> R {
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = buffers.map(\.count)
        var storage: [UnsafeMutablePointer<CChar>] = []
        for buffer in buffers {
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, buffer.count))
            buffer.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress { copy.update(from: base, count: chars.count) }
                }
            }
            storage.append(copy)
            pointers.append(UnsafePointer(copy))
        }
        defer { for copy in storage { copy.deallocate() } }
        return pointers.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeMutableBufferPointer { lens in
                // Both buffers hold one element per argument; an empty argument list is never sent.
                guard let argvBase = argv.baseAddress, let lensBase = lens.baseAddress else {
                    var none: UnsafePointer<CChar>? = nil
                    var zero = 0
                    return body(0, &none, &zero)
                }
                return body(Int32(buffers.count), argvBase, UnsafePointer(lensBase))
            }
        }
    }

    private static func copy(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        func text() -> String {
            guard let str = r.str else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: str, count: Int(r.len)), as: UTF8.self)
        }
        switch r.type {
        case REDIS_REPLY_STRING: return .string(text())
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_INTEGER: return .integer(Int(r.integer))
        case REDIS_REPLY_ARRAY:
            var items: [RedisReply] = []
            items.reserveCapacity(Int(r.elements))
            for i in 0..<Int(r.elements) {
                if let element = r.element?[i] { items.append(copy(element)) } else { items.append(.null) }
            }
            return .array(items)
        default: return .null
        }
    }
}

extension String {
    /// `%40` → `@` in the user and password of a URL.
    var removingPercentEscapes: String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
