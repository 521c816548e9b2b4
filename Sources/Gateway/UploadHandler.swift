import EventLoop
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
    /// The locale fields (`country`, `language`) of a multipart body, and the one being read.
    private var localeFields: [String: String] = [:]
    private var localeField: (name: String, value: [UInt8])?
    /// The result stream, once the upload is complete and answered as SSE.
    private var subscription: ResultSubscription?
    private var closed = false

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
        // Only the sink is made here: its file is created off the loop, on the queue that writes it.
        let sink = ImageSink(maxBytes: gateway.settings.maxUploadBytes, maxPixels: gateway.settings.maxPixels,
                             create: gateway.createUploadFile)
        // The file's hashing and writing fell behind and we stopped reading: go on.
        let boundWriter = LoopBound(writer, loop: writer.loop)
        sink.setOnDrain { boundWriter.loop.execute { boundWriter.value.resumeBody() } }
        self.sink = sink
        writer.readBodyIntoKeepableBuffers(UploadHandler.bodyReadBytes)
    }

    /// The read size while an image streams in: its bytes go to the file's queues in the
    /// buffers they were read into, not copied (as large as the loop's shared read buffer).
    static let bodyReadBytes = 256 * 1024

    /// Hands image bytes to the sink, and stops reading while its file is behind.
    private func store(_ bytes: UnsafeRawBufferPointer, _ writer: HTTPResponseWriter) throws(UploadError) {
        guard let sink else { return }
        if try !sink.write(bytes, in: writer.keepBodyBuffer(holding: bytes)) { writer.pauseBody() }
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
                try store(bytes, writer)
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
                } else if part.filename == nil, let name = part.name, name == "country" || name == "language" {
                    localeField = (name, [])
                }
            case .partData(let data):
                if inImagePart { try store(data, writer) }
                if localeField != nil {
                    localeField?.value.append(contentsOf: data)
                    if (localeField?.value.count ?? 0) > 64 { throw UploadError.badLocale("the country and language fields are short codes") }
                }
            case .partEnd:
                inImagePart = false
                if let field = localeField { localeFields[field.name] = String(decoding: field.value, as: UTF8.self) }
                localeField = nil
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
            let locale = try requestLocale(writer.head)
            let bound = LoopBound(self, loop: writer.loop)
            let boundWriter = LoopBound(writer, loop: writer.loop)
            try sink.finish { result in
                bound.loop.execute { bound.value.stored(result, locale: locale, boundWriter.value) }
            }
            self.sink = nil
        } catch let error as UploadError {
            fail(error, writer)
        } catch {
            fail(.malformed("\(error)"), writer)
        }
    }

    /// The image is hashed and on disk (or could not be written).
    private func stored(_ result: Result<UploadedImage, UploadError>, locale: RunLocale, _ writer: HTTPResponseWriter) {
        switch result {
        case .success(var image):
            if closed {  // the client left while the file was being finished
                gateway.removeFile(image.path)
                return
            }
            image.locale = locale
            image.id = ImageDigest.resultID(digest: image.digest, locale: locale, defaultLocale: gateway.settings.defaultLocale)
            respond(with: image, writer)
        case .failure(let error):
            fail(error, writer)
        }
    }

    /// Hands the image to the results (off the loop: the store may be a disk or Redis) and
    /// answers when they reply, back on this loop.
    private func respond(with image: UploadedImage, _ writer: HTTPResponseWriter) {
        let bound = LoopBound(self, loop: writer.loop)
        let boundWriter = LoopBound(writer, loop: writer.loop)
        gateway.hub.submit(image, client: writer.peerAddress) { result in
            bound.loop.execute { bound.value.submitted(result, image: image, boundWriter.value) }
        }
    }

    private func submitted(_ result: Result<ResultSubmission, ResultSubmitError>, image: UploadedImage,
                           _ writer: HTTPResponseWriter)
    {
        let submission: ResultSubmission
        switch result {
        case .success(let value):
            submission = value
        case .failure(let error):
            gateway.removeFile(image.path)
            gateway.metrics.uploadRefused()  // a 503 or 429 is not an accepted upload
            writer.send(UploadHandler.refusal(error))
            return
        }
        gateway.metrics.uploadAccepted(bytes: image.bytes)  // counted once the hub has taken it
        if !submission.startedRun { gateway.removeFile(image.path) }  // the existing result answers
        guard !closed, !writer.isClosed else { return }
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
                                              settings: gateway.settings, openStreams: gateway.openStreams)
        }
    }

    /// The run's locale: multipart fields, else query parameters, else `Accept-Language`, else
    /// the defaults. A value given but not understood is refused rather than ignored.
    private func requestLocale(_ head: HTTPRequestHead) throws(UploadError) -> RunLocale {
        var locale = gateway.settings.defaultLocale
        var countryGiven = false
        if let header = head.headers["Accept-Language"], let accepted = RunLocale.acceptLanguage(header) {
            locale.language = accepted.language
            if let region = accepted.country {
                locale.country = region
                countryGiven = true
            }
        }
        if let text = localeFields["language"] ?? GatewayRouter.queryValue(head.query, "language").map({ PercentDecoding.decode($0, plusAsSpace: true) ?? $0 }) {
            guard let language = RunLocale.language(text) else {
                throw .badLocale("language must be a language tag such as en, de or pt-BR, not \"\(text.prefix(40))\"")
            }
            locale.language = language
            if !countryGiven, let region = language.split(separator: "-").dropFirst().first, region.count == 2 { locale.country = String(region) }
        }
        if let text = localeFields["country"] ?? GatewayRouter.queryValue(head.query, "country").map({ PercentDecoding.decode($0, plusAsSpace: true) ?? $0 }) {
            guard let country = RunLocale.country(text) else {
                throw .badLocale("country must be a two-letter ISO 3166 code such as US or DE, not \"\(text.prefix(40))\"")
            }
            locale.country = country
        }
        return locale
    }

    static func refusal(_ error: ResultSubmitError) -> HTTPResponse {
        var response: HTTPResponse
        let seconds: Int
        switch error {
        case .overloaded(let wait):
            seconds = wait
            response = .error(.serviceUnavailable, code: "overloaded", message: "too many photos are being processed; try again shortly")
        case .storeUnavailable(let detail, let wait):
            seconds = wait
            response = .error(.serviceUnavailable, code: "store_unavailable", message: "results cannot be stored right now: \(detail)")
        case .rateLimited(let wait):
            seconds = wait
            response = .error(.tooManyRequests, code: "rate_limited", message: "too many uploads from this address; try again in \(wait) s")
        }
        response.headers.add("Retry-After", String(seconds))
        return response
    }

    private func fail(_ error: UploadError, _ writer: HTTPResponseWriter) {
        guard !failed else { return }
        failed = true
        sink = nil  // deletes the partial temp file
        gateway.metrics.uploadRefused()
        writer.send(error.response)
    }

    func connectionClosed() {
        closed = true
        sink = nil
        subscription?.connectionClosed()
    }
}
