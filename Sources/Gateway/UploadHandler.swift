import HTTP
import JSON
import Pipeline

/// `POST /classify` and `POST /`: streams the image (multipart field `file`, or a raw body)
/// into an `ImageSink`, then starts or joins the run and answers with its SSE stream, or with
/// 202 and URLs when the client asked for JSON.
final class UploadHandler: HTTPRequestHandler {
    private let gateway: GatewayContext
    private var multipart: MultipartParser?
    private var sink: ImageSink?
    /// In multipart mode: whether the current part is the image.
    private var inImagePart = false
    private var imagePartSeen = false
    private var failed = false
    private var bodyBytes = 0
    /// The result stream, once the upload is complete and answered as SSE.
    private var subscription: ResultSubscription?

    init(head: HTTPRequestHead, writer: HTTPResponseWriter, gateway: GatewayContext) {
        self.gateway = gateway
        let limit = gateway.settings.maxUploadBytes
        let contentType = head.headers["Content-Type"] ?? ""
        let isMultipart = contentType.lowercased().hasPrefix("multipart/")
        if case .length(let declared) = head.framing,
           declared > limit + (isMultipart ? gateway.settings.multipartAllowance : 0)
        {
            fail(.tooLarge(limit: limit), writer)  // answered before any body byte is read
            return
        }
        if head.framing == .none || head.framing == .length(0) {
            fail(.noFile, writer)
            return
        }
        if isMultipart {
            do {
                let boundary = try MultipartParser.boundary(fromContentType: contentType)
                multipart = MultipartParser(boundary: boundary)
            } catch {
                fail(.malformed(error.message), writer)
            }
        } else {
            openSink(writer)
        }
    }

    private func openSink(_ writer: HTTPResponseWriter) {
        do {
            sink = try ImageSink(directory: gateway.uploadDirectory, maxBytes: gateway.settings.maxUploadBytes,
                                 maxPixels: gateway.settings.maxPixels)
        } catch {
            fail(error, writer)
        }
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer, _ writer: HTTPResponseWriter) {
        guard !failed else { return }
        bodyBytes += bytes.count
        do {
            // Counted over the whole body so that parts other than the image are bounded too.
            if bodyBytes > gateway.settings.maxUploadBytes + gateway.settings.multipartAllowance {
                throw UploadError.tooLarge(limit: gateway.settings.maxUploadBytes)
            }
            if multipart != nil {
                try feedMultipart(bytes, writer)
            } else {
                try sink?.write(bytes)
            }
        } catch let error as UploadError {
            fail(error, writer)
        } catch let error as MultipartError {
            fail(.malformed(error.message), writer)
        } catch {
            fail(.malformed("\(error)"), writer)
        }
    }

    private func feedMultipart(_ bytes: UnsafeRawBufferPointer, _ writer: HTTPResponseWriter) throws {
        try multipart?.feed(bytes) { event in
            switch event {
            case .partBegin(let part):
                // The image is field "file"; failing that, the first part that carries a filename.
                if !imagePartSeen && (part.name == "file" || part.filename != nil) {
                    imagePartSeen = true
                    inImagePart = true
                    openSink(writer)
                    if failed { throw UploadError.storage("temp file") }
                }
            case .partData(let data):
                if inImagePart { try sink?.write(data) }
            case .partEnd:
                inImagePart = false
            }
        }
    }

    func receiveEnd(_ writer: HTTPResponseWriter) {
        guard !failed else { return }
        do {
            if multipart != nil {
                do {
                    try multipart?.finish()
                } catch let error as MultipartError {
                    throw UploadError.malformed(error.message)
                }
                guard imagePartSeen else { throw UploadError.noFile }
            }
            guard let sink else { throw UploadError.noFile }
            let image = try sink.finish()
            self.sink = nil
            respond(with: image, writer)
        } catch let error as UploadError {
            fail(error, writer)
        } catch {
            fail(.malformed("\(error)"), writer)
        }
    }

    private func respond(with image: UploadedImage, _ writer: HTTPResponseWriter) {
        let submission: ResultHub.Submission
        do {
            submission = try gateway.hub.submit(image)
        } catch {
            gateway.removeFile(image.path)
            gateway.metrics.uploadRefused()  // a 503 is not an accepted upload
            switch error {
            case .overloaded(let seconds):
                var response = HTTPResponse.error(.serviceUnavailable, code: "overloaded",
                                                  message: "too many photos are being processed; try again shortly")
                response.headers.add("Retry-After", String(seconds))
                writer.send(response)
            case .storeUnavailable(let detail):
                writer.send(.error(.serviceUnavailable, code: "store_unavailable",
                                   message: "results cannot be stored right now: \(detail)"))
            }
            return
        }
        gateway.metrics.uploadAccepted(bytes: image.bytes)  // counted once the hub has taken it
        if !submission.startedRun { gateway.removeFile(image.path) }  // the existing result answers
        let id = image.id
        if (writer.head.headers["Accept"] ?? "").contains("application/json") {
            let urls = gateway.resultURLs(id: id)
            var response = HTTPResponse.json(.accepted, [
                "id": .string(id),
                "events_url": .string(urls.events),
                "result_url": .string(urls.result),
            ])
            response.headers.add("X-Result-Id", id)
            response.headers.add("Location", "/results/\(id)")
            writer.send(response)
        } else {
            subscription = ResultSubscription(stream: submission.stream, writer: writer, afterID: 0,
                                              settings: gateway.settings)
        }
    }

    private func fail(_ error: UploadError, _ writer: HTTPResponseWriter) {
        guard !failed else { return }
        failed = true
        sink = nil  // deletes the partial temp file
        gateway.metrics.uploadRefused()
        writer.send(error.response)
    }

    func connectionClosed() {
        sink = nil
        subscription?.connectionClosed()
    }
}
