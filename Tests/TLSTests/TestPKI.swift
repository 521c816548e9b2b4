import Foundation
import TestSupport

/// Certificates made with the `openssl` command line tool, independent of the code under test.
enum TestPKI {
    enum KeyType { case ecdsa, rsa }

    /// A self-signed certificate for localhost/127.0.0.1 written to `dir/<name>.cert.pem` and
    /// `dir/<name>.key.pem`. Returns the two paths.
    @discardableResult
    static func selfSigned(in dir: TemporaryDirectory, name: String, serial: Int, key: KeyType = .ecdsa)
        throws -> (certificate: String, key: String)
    {
        let certificate = dir.file("\(name).cert.pem")
        let keyFile = dir.file("\(name).key.pem")
        let keySpec: [String] = switch key {
        case .ecdsa: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        case .rsa: ["-newkey", "rsa:2048"]
        }
        try ProcessRunner.run("openssl", ["req", "-x509"] + keySpec + [
            "-nodes", "-keyout", keyFile, "-out", certificate, "-days", "2",
            "-subj", "/CN=\(name)", "-set_serial", String(serial),
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        return (certificate, keyFile)
    }

    /// root CA -> intermediate CA -> leaf (localhost). Writes `chain.pem` (leaf + intermediate),
    /// `leaf.key.pem` and `root.cert.pem`.
    static func chain(in dir: TemporaryDirectory) throws -> (chain: String, key: String, root: String) {
        func openssl(_ arguments: [String]) throws { try ProcessRunner.run("openssl", arguments) }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", dir.file("root.key.pem"), "-out", dir.file("root.cert.pem"),
                     "-days", "2", "-subj", "/CN=Test Root",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"])
        try dir.write("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n")
        try dir.write("leaf.ext", "basicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:localhost\n")
        try openssl(["req", "-new"] + ec + ["-keyout", dir.file("int.key.pem"), "-out", dir.file("int.csr"),
                     "-subj", "/CN=Test Intermediate"])
        try openssl(["x509", "-req", "-in", dir.file("int.csr"), "-CA", dir.file("root.cert.pem"),
                     "-CAkey", dir.file("root.key.pem"), "-set_serial", "2", "-days", "2",
                     "-extfile", dir.file("ca.ext"), "-out", dir.file("int.cert.pem")])
        try openssl(["req", "-new"] + ec + ["-keyout", dir.file("leaf.key.pem"), "-out", dir.file("leaf.csr"),
                     "-subj", "/CN=localhost"])
        try openssl(["x509", "-req", "-in", dir.file("leaf.csr"), "-CA", dir.file("int.cert.pem"),
                     "-CAkey", dir.file("int.key.pem"), "-set_serial", "3", "-days", "2",
                     "-extfile", dir.file("leaf.ext"), "-out", dir.file("leaf.cert.pem")])
        try dir.write("chain.pem", try dir.read("leaf.cert.pem") + dir.read("int.cert.pem"))
        return (dir.file("chain.pem"), dir.file("leaf.key.pem"), dir.file("root.cert.pem"))
    }
}
