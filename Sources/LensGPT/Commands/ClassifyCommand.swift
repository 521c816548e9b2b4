import ArgumentParser
import Foundation
import Gateway
import HTTP
import Glibc
import Imaging
import JSON
import Pipeline

/// `lens-gpt classify IMAGE`: the whole pipeline in this process; on a terminal a line per result,
/// piped the SSE frames `POST /classify` would stream.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Run the pipeline on one photo: a summary on a terminal, the SSE stream of POST /classify when piped.",
        discussion: """
            --format sse prints the SSE frames POST /classify would stream; json prints one JSON object when the run ends \
            ({"id", "status", "result": {event: payload}, "errors": [...]}, like GET /results/{id}); summary prints a line per \
            result and failure as they come. Default: summary when stdout is a terminal, else sse. \
            --demo runs offline against the demo world (needs chromedriver): lens-gpt classify --demo PHOTO. \
            Exit status: 0 when every stage finished, 2 when some failed (partial), 1 when the run failed or the photo was \
            refused (a JSON error on stderr, with the code POST /classify would answer), 64 for a refused command line.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case sse, json, summary
    }

    @Argument(help: "A PNG, JPEG or WebP photo.") var image: String
    @OptionGroup var pipeline: PipelineOptions
    @Option(help: "Keep the result store here (default: a temporary directory, removed afterwards).") var dataDir: String?
    @Option(help: "Time limit of each stage in ms (LENS_GPT_STAGE_TIMEOUT_MS, default 60000).") var stageTimeoutMs: String?
    @Flag(help: "Run offline against the demo world: its Lens replica, shops and rates (needs chromedriver).") var demo = false
    @Option(help: "sse, json or summary (default: summary on a terminal, else sse).") var format: Format?

    func run() throws {
        let directory = dataDir ?? NSTemporaryDirectory() + "lens-gpt-classify-" + UUID().uuidString
        let temporary = dataDir == nil
        defer { if temporary { try? FileManager.default.removeItem(atPath: directory) } }
        try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)

        let bytes = PhotoFile.read(image, maxBytes: GatewaySettings().maxUploadBytes)
        guard ImageHeader.parse(bytes) != nil else { CommandOutput.fail(PhotoFile.refusal(.unsupportedType)) }
        let id = ImageDigest.sha256Hex(bytes)
        let copy = directory + "/tmp/upload-\(id)"
        guard FileManager.default.createFile(atPath: copy, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            CommandOutput.fail("storage_unavailable", "cannot write to \(directory)")
        }
        defer { try? FileManager.default.removeItem(atPath: copy) }

        let world = demo ? try DemoWiring.start() : nil
        defer { world?.shutdown() }
        let setup = try PipelineSetup.make(pipeline, dataDirectory: directory,
                                           stageTimeoutMillis: try Setting.int(stageTimeoutMs, env: "LENS_GPT_STAGE_TIMEOUT_MS", default: 60_000, in: 1...3_600_000),
                                           demo: world)
        defer { setup.lens?.pool.shutdown() }
        let hub = ResultHub(graph: setup.graph, pool: WorkerPool(workers: 4, queueLimit: 16),
                            store: try SQLiteResultStore(path: directory + "/results.sqlite"))
        let stream = try hub.submit(UploadedImage(id: id, path: copy, bytes: bytes.count)).stream

        // Print frames as they come: the watcher only signals, the loop below reads the log.
        let signal = DispatchSemaphore(value: 0)
        let token = stream.watch { signal.signal() }
        defer { stream.unwatch(token) }
        let format = self.format ?? (isatty(STDOUT_FILENO) == 1 ? .summary : .sse)
        if format == .sse { FileHandle.standardOutput.write(Data(SSEFrame.retry(milliseconds: GatewaySettings().sseRetryMillis))) }
        var cursor = 0
        var all: [ResultEvent] = []
        while true {
            let (events, finished) = stream.events(after: cursor)
            for event in events {
                switch format {
                case .sse: FileHandle.standardOutput.write(Data(SSEFrame.event(id: event.id, name: event.name, data: event.envelope)))
                case .summary: if let line = ClassifySummary.line(event) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
                case .json: all.append(event)
                }
                cursor = event.id
            }
            if finished && cursor >= stream.lastEventID { break }
            _ = signal.wait(timeout: .now() + 1)
        }
        if format == .json {
            FileHandle.standardOutput.write(Data((ClassifySummary.json(id: id, status: stream.status.rawValue, events: all).serialized() + "\n").utf8))
        }
        switch stream.status {
        case .complete: return
        case .partial: throw ExitCode(2)
        default: throw ExitCode.failure
        }
    }
}
