import JSON
import Pipeline

/// `producer-url`: the maker's own product page. First among the Lens matches (a site whose
/// name is the brand's, not a marketplace), else among the results of a web search run in the
/// browser; the LLM only breaks ties between equally good candidates.
public struct ProducerURLProducer: KeyedProducer {
    public static let key = StageKey<MakerPage>("producer-url")
    let webSearch: (any SearchService)?
    let chat: (any StructuredChat)?

    /// `webSearch`: the browser-run web search profile (nil: Lens matches only). `chat`: the
    /// LLM for ties (nil: the first of the tied candidates in Lens/search order).
    public init(webSearch: (any SearchService)?, chat: (any StructuredChat)?) {
        self.webSearch = webSearch
        self.chat = chat
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> MakerPage {
        let matches = inputs.optional(LensMatchesProducer.key) ?? []  // none when identified from the photo
        let identity = try inputs.get(IdentificationProducer.key)
        let page = try find(candidates: matches.map { Candidate(title: $0.title, link: $0.link) }, identity: identity,
                            timeoutMillis: context.remainingMillis)
        context.emit(stage, page.json)
        return page
    }

    /// A link with the title it was shown under.
    struct Candidate: Sendable, Equatable {
        var title: String
        var link: String
    }

    func find(candidates: [Candidate], identity: ProductIdentity, timeoutMillis: Int) throws(StageError) -> MakerPage {
        let deadline = Clock.millis() + timeoutMillis
        if let page = choose(among: candidates, identity: identity) { return page }
        var searchProblem = ""
        var found: [Candidate] = []
        if let webSearch {
            do {
                found = try webSearch.search(identity.query, timeoutMillis: max(0, deadline - Clock.millis()))
                    .map { Candidate(title: $0.title, link: $0.link) }
            } catch let error as StageError {
                searchProblem = error.message
            } catch {
                searchProblem = "\(error)"
            }
            if let page = choose(among: found, identity: identity) { return page }
        }
        // No site carries the brand's name: an LLM may still recognise the maker among the
        // pages that are neither marketplaces nor resellers; without one, nothing is guessed.
        if chat != nil {
            let others = unique(candidates + found).filter {
                MarketplaceCatalog.marketplace(for: $0.link) == nil && !ResellerCatalog.isReseller($0.link)
                    && ProductTitle($0.title).coverage(of: identity.model) >= 0.5
            }
            if !others.isEmpty, let index = askLLM(others, identity: identity), let page = MakerPage(others[index]) { return page }
        }
        // One message: what the matches lacked, and what the web search did (nothing found, or why it could not answer).
        let searched = webSearch == nil ? "no web search is configured"
            : searchProblem.isEmpty ? "the web search found none either" : "the web search could not answer (\(searchProblem))"
        throw StageError(code: "maker_page_not_found",
                         message: "no page of \(identity.producer)'s own site among the Lens matches; \(searched)")
    }

    /// The maker-site candidate whose title covers the model best; ties go to the LLM.
    func choose(among candidates: [Candidate], identity: ProductIdentity) -> MakerPage? {
        let makers = unique(candidates).filter {
            MakerDomain.isMaker(brand: identity.producer, link: $0.link) && MarketplaceCatalog.marketplace(for: $0.link) == nil
        }
        guard !makers.isEmpty else { return nil }
        let scored = makers.map { ($0, ProductTitle($0.title).coverage(of: identity.model)) }
        let best = scored.map(\.1).max() ?? 0
        let tied = scored.filter { $0.1 == best }.map(\.0)
        if tied.count > 1, let index = askLLM(tied, identity: identity) { return MakerPage(tied[index]) }
        return tied.first.flatMap(MakerPage.init)
    }

    /// One candidate per link, first occurrence kept.
    private func unique(_ candidates: [Candidate]) -> [Candidate] {
        var seen = Set<String>()
        return candidates.filter { seen.insert($0.link).inserted }
    }

    /// The LLM's pick (0-based), or nil for none, no LLM, or an answer out of range.
    func askLLM(_ candidates: [Candidate], identity: ProductIdentity) -> Int? {
        guard let chat else { return nil }
        let list = candidates.enumerated().map { "\($0.offset + 1). \($0.element.title) — \($0.element.link)" }.joined(separator: "\n")
        let system = """
            You choose the product page on the maker's own web site for a product. Retailers, marketplaces, \
            review sites and pages about other products do not count. Answer with the number of the link, or 0 if none is it.
            """
        let user = "Product: \(identity.producer) \(identity.model)\n\n" + QuotedText.block(list, what: "numbered list of candidate links")
        let schema: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["index"],
            "properties": ["index": ["type": "integer", "minimum": 0, "maximum": .int(candidates.count)]],
        ]
        guard let answer = try? chat.complete(system: system, user: user, schemaName: "maker_page_choice", schema: schema),
              let index = answer["index"]?.intValue, index >= 1, index <= candidates.count else { return nil }
        return index - 1
    }
}

extension MakerPage {
    init?(_ candidate: ProducerURLProducer.Candidate) {
        guard let domain = LensLinks.domain(candidate.link) else { return nil }
        self.init(link: candidate.link, title: candidate.title, domain: domain)
    }

    /// The `producer-url` payload.
    public var json: JSONValue { ["link": .string(link), "title": .string(title), "domain": .string(domain)] }
}
