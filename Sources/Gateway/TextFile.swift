import SystemSupport

/// Small text files from procfs and sysfs (the network's state for `/readyz`).
enum TextFile {
    /// Route tables of a router with many routes can pass a mebibyte; nothing here is read on a loop thread.
    static func read(_ path: String, limit: Int = 16 << 20) -> String? { BoundedFile.text(path, limit: limit) }
}
