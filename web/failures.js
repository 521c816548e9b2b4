// A stage-error in words a person can act on: what was tried (only the providers the events
// name, which are the configured ones), what happened in plain words, the server's own codes and
// message in a <details>, and "try again" only where another attempt can change the answer.
import { el } from "./dom.js";

/// The visual-search providers and barcode databases by the names events give them.
const PROVIDER_NAMES = {
  "google-lens": "Google Lens", serpapi: "the hosted Lens API (SerpApi)", "ebay-image": "eBay's image search",
  openfoodfacts: "Open Food Facts", upcitemdb: "UPCitemdb", openlibrary: "Open Library", "web-search": "a web search",
  heuristic: "the built-in method",
};

/// What a code means, as the end of "<provider> …" (or of "It …" without a provider).
const CODE_WORDS = {
  lens_no_matches: "found no visual matches", lens_api_no_matches: "found no visual matches",
  visual_no_matches: "found no visual matches",
  lens_blocked: "was stopped by Google's bot check", lens_consent: "stopped at Google's consent page",
  lens_timeout: "took too long", lens_api_timeout: "took too long", search_timeout: "took too long",
  stage_timeout: "ran out of time", browser_unavailable: "could not start the browser",
  network_unavailable: "could not be reached", lens_api_unauthorized: "refused the configured API key",
  api_unauthorized: "refused the configured API key", lens_api_rate_limited: "is busy (too many requests)",
  api_rate_limited: "is busy (too many requests)", lens_api_failed: "answered with an error", api_failed: "answered with an error",
  llm_failed: "(the language model) could not answer", photo_busy: "waited for other photos to finish and ran out of time",
  unreadable_image: "could not read this image", too_many_pixels: "has too many pixels to read",
  photo_too_costly: "needs more memory than this server allows for one photo",
  no_price_basis: "had nothing to estimate from: no offers of the product and no retail price",
  interrupted: "was interrupted: the server stopped before the run finished",
};

/// Failures another attempt can change: the network, time limits, busy or blocked services.
/// "No matches", a refused key or an unreadable image stay the same however often one retries.
const RETRY_HELPS = new Set(["lens_blocked", "lens_consent", "lens_timeout", "lens_api_timeout", "search_timeout", "stage_timeout",
  "browser_unavailable", "network_unavailable", "lens_api_rate_limited", "api_rate_limited", "lens_api_failed", "api_failed",
  "llm_failed", "photo_busy", "interrupted", "fetch_failed", "fetch_timeout"]);

export function providerName(name) {
  return PROVIDER_NAMES[name] ?? String(name);
}

/// Whether trying the photo again can give another answer.
export function retryCanHelp(error) {
  const attempts = Array.isArray(error?.tried) && error.tried.length > 0 ? error.tried : [error ?? {}];
  return attempts.some((attempt) => attempt?.retryable === true && RETRY_HELPS.has(String(attempt.code)));
}

/// One attempt in words: "Google Lens found no visual matches."
function attemptWords(provider, code, message, named = false) {
  const words = CODE_WORDS[code];
  const who = provider ? (named ? provider : providerName(provider)) : "";
  if (words) return `${who ? who.replace(/^./, (c) => c.toUpperCase()) : "It"} ${words}.`;
  // A code this page has no words for: the server's message, which is written for people.
  const said = String(message ?? code ?? "it failed").replace(/^./, (c) => c.toUpperCase());
  return who ? `${who.replace(/^./, (c) => c.toUpperCase())}: ${said}${/[.!?]$/.test(said) ? "" : "."}` : `${said}${/[.!?]$/.test(said) ? "" : "."}`;
}

/// The sentences for a stage-error: the providers tried, in the order asked (those that ended
/// the same way in one sentence), else the one failure.
export function failureWords(error) {
  const tried = Array.isArray(error.tried) ? error.tried.filter((t) => t && typeof t === "object") : [];
  if (tried.length === 0) return attemptWords(error.provider, error.code, error.message);
  const groups = [];
  for (const attempt of tried) {
    const last = groups.at(-1);
    if (last && CODE_WORDS[attempt.code] && CODE_WORDS[last.code] === CODE_WORDS[attempt.code]) last.providers.push(attempt.provider);
    else groups.push({ code: attempt.code, message: attempt.message, providers: [attempt.provider] });
  }
  return groups.map((g) => attemptWords(g.providers.map(providerName).join(" and "), g.code, g.message, true)).join(" ");
}

/// The note on a card: the words, "try again" where it helps, and the server's codes behind a <details>.
/// `kind`: "failed", "fallback" (another source answered) or "unneeded" (another source made the stage unnecessary).
export function failureNote(error, kind) {
  const lead = { fallback: "Used another source: ", unneeded: "Not needed: " }[kind] ?? "";
  let words = failureWords(error);
  if (kind === "fallback" && error.fallback) words += ` ${providerName(error.fallback).replace(/^./, (c) => c.toUpperCase())} was asked instead.`;
  const codes = (Array.isArray(error.tried) && error.tried.length > 0 ? error.tried : [error])
    .map((t) => [t.provider, t.code].filter(Boolean).join(" ")).join(", ");
  const allCodes = [error.code, ...(Array.isArray(error.tried) ? error.tried.map((t) => t?.code) : [])].filter(Boolean);
  return el("div", { class: `stage-error ${kind}`, "data-code": String(error.code ?? ""), "data-codes": [...new Set(allCodes)].join(" "),
    "data-kind": kind, role: "note" },
    el("p", {}, lead ? el("strong", {}, lead) : null, words),
    kind === "failed" && retryCanHelp(error) ? el("p", { class: "small", "data-field": "retry-hint" }, "Trying the photo again may work.") : null,
    el("details", { class: "error-details small" },
      el("summary", {}, "Details"),
      el("p", {}, el("code", {}, codes)),
      el("p", {}, String(error.message ?? ""))),
  );
}
