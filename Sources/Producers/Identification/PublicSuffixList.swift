import CPSL

/// The Public Suffix List, loaded once through libpsl.
final class PublicSuffixList: @unchecked Sendable {  // wraps a libpsl context that is read-only after loading
    static let shared = PublicSuffixList()

    private let context: OpaquePointer?

    private init() {
        // The newest of the list compiled into libpsl and the distribution's file.
        context = psl_latest(nil) ?? psl_builtin()
    }

    /// `shopee.com.my` for `www.shopee.com.my`; nil when the host has none (`localhost`, `co.uk`).
    func registrableDomain(_ host: String) -> String? {
        guard let context, !host.isEmpty else { return nil }
        // libpsl answers with a pointer into `host`'s own bytes: copied before they go away.
        return host.withCString { name in psl_registrable_domain(context, name).map { String(cString: $0) } }
    }
}
