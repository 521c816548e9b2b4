import Logging
import Secrets

/// A log handler that passes the message, the metadata and an attached error through the secret
/// scrubber before the handler it wraps writes them: a log line is text that leaves the process.
struct ScrubbingLogHandler: LogHandler {
    var wrapped: any LogHandler
    let scrubber: SecretScrubber

    init(_ wrapped: any LogHandler, scrubber: SecretScrubber = .shared) {
        self.wrapped = wrapped
        self.scrubber = scrubber
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(scrubber.scrub(event.message.description))"
        var metadata = event.metadata ?? [:]
        if let error = event.error {
            // The wrapped handler would print the error's own text: it goes in scrubbed instead.
            metadata["error.message"] = .string("\(error)")
            metadata["error.type"] = .string(String(reflecting: type(of: error)))
            event.error = nil
        }
        event.metadata = metadata.isEmpty ? nil : metadata.mapValues(scrub)
        var handler = wrapped
        handler.metadata = wrapped.metadata.mapValues(scrub)
        handler.log(event: event)
    }

    private func scrub(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(scrubber.scrub(text))
        case .stringConvertible(let convertible): .string(scrubber.scrub(convertible.description))
        case .array(let items): .array(items.map(scrub))
        case .dictionary(let entries): .dictionary(entries.mapValues(scrub))
        @unknown default: .string(scrubber.scrub("\(value)"))
        }
    }
}
