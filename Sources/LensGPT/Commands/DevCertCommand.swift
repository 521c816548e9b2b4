import ArgumentParser
import TLS

/// `lens-gpt dev-cert --out DIR`: a self-signed certificate for trying TLS on localhost.
public struct DevCertCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dev-cert",
        abstract: "Write a self-signed certificate and key for localhost (development only).",
        discussion: """
            Writes cert.pem (mode 0644: a certificate is public) and key.pem (mode 0600: only \
            you may read the private key) into DIR, creating it if missing and \
            replacing files already there. The certificate is an ECDSA P-256 leaf for localhost, \
            127.0.0.1 and ::1, valid for the given number of days; clients trust it by pointing \
            at cert.pem (curl --cacert).
            """
    )

    @Option(name: .long, help: ArgumentHelp("Directory to write cert.pem and key.pem into.", valueName: "DIR"))
    var out: String

    @Option(name: .long, help: "How many days the certificate is valid.")
    var days: Int = 365

    public init() {}

    public func validate() throws {
        try Setting.check(days, "--days", in: 1...3650)
    }

    public func run() throws {
        let files = try DevCertificate(validityDays: days).write(toDirectory: out)
        print("certificate: \(files.certificatePath) (mode 0644)")
        print("private key: \(files.privateKeyPath) (mode 0600)")
        print("try: curl --cacert \(files.certificatePath) https://localhost:<port>/")
    }
}
