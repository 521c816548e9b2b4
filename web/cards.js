// One card body per result event. Each takes the event's payload (untrusted: it comes from shop
// pages) and returns DOM built from text nodes; `data-field` marks the values tests read.
import { el, externalLink, facts, remoteImage } from "./dom.js";
import { availability, condition, money, percent } from "./format.js";
import { priceChart } from "./chart.js";
import { barcodesBody, photoTextBody } from "./photo-cards.js";

/// Card titles, in the order cards take on the page.
export const CARD_TITLES = {
  "model-producer": "What it is",
  "producer-url": "Maker's page",
  "retail-price-details": "Retail price",
  "estimated-price": "Second-hand value",
  "second-hand-offers": "Offers and sales",
  "lens-matches": "Visual matches",
  barcodes: "Barcode",
  "photo-text": "Printed text",
};

/// The results a card also reads (`context`): when one of these arrives, the card is drawn again.
export const CARD_READS = {
  barcodes: ["model-producer"],
  "second-hand-offers": ["estimated-price"],
  "estimated-price": ["second-hand-offers", "retail-price-details"],
};

const text = (value) => (typeof value === "string" || typeof value === "number" ? String(value) : "");
const domainOf = (url) => { try { return new URL(url).hostname.replace(/^www\./, ""); } catch { return ""; } };

const METHOD_WORDS = {
  llm: "Identified by the language model from the photo and the visual matches.",
  "llm-photo": "Identified by the vision model from the photo alone.",
  heuristic: "Identified from the evidence below.",
};
const EVIDENCE_WORDS = { "visual-matches": "visual matches", llm: "language model", "llm-photo": "the photo (vision model)",
  barcode: "the photo's barcode", text: "text printed on the photo" };

export function identificationBody(data) {
  const sure = Number(data.confidence);
  const evidence = Array.isArray(data.evidence) ? data.evidence.map((e) => EVIDENCE_WORDS[e] ?? String(e)) : [];
  if (data.producer === null || data.producer === undefined) {
    // lens-gpt abstains rather than guess: say so, with the best candidates it weighed.
    const candidates = Array.isArray(data.candidates) ? data.candidates.slice(0, 3) : [];
    return el("div", {},
      el("p", { class: "headline" }, "Not identified"),
      el("p", { class: "muted small" }, data.gtin ? `Barcode ${text(data.gtin)}: no page names this product.`
        : "The evidence does not name one product surely enough, so nothing is looked up for it."),
      candidates.length ? el("p", { class: "small" }, "Closest: " + candidates.map((c) => `${text(c.producer)} ${text(c.model)}`).join(", ")) : null,
    );
  }
  return el("div", {},
    el("p", { class: "headline" },
      el("span", { class: "producer", "data-field": "producer" }, text(data.producer)), " ",
      el("span", { "data-field": "model" }, text(data.model))),
    Number.isFinite(sure) ? meter("Confidence", sure, "confidence") : null,
    data.method ? el("p", { class: "muted small" }, METHOD_WORDS[data.method] ?? "") : null,
    evidence.length ? el("p", { class: "muted small" }, "Evidence: " + evidence.join(", ")) : null,
  );
}

export function makerPageBody(data) {
  const domain = text(data.domain) || domainOf(data.link);
  return el("div", {},
    el("p", { class: "headline-small" }, text(data.title) || domain),
    el("p", {}, externalLink(data.link, `Open ${domain || "the maker's page"} ↗`, { "data-field": "producer-link", class: "button-link" })),
  );
}

export function retailBody(data) {
  const specs = Array.isArray(data.specs) ? data.specs : [];
  const image = remoteImage(data.image, { class: "retail-image", alt: "" });
  return el("div", { class: "retail" },
    image,
    el("p", { class: "price", "data-field": "retail-price", "data-amount": text(data.price), "data-currency": text(data.currency) },
      money(data.price, data.currency)),
    el("p", { class: "headline-small" }, text(data.original_name)),
    data.availability ? el("p", { class: "muted small" }, availability(data.availability)) : null,
    data.description ? el("p", { class: "description" }, text(data.description)) : null,
    facts([
      ["Material", text(data.material), "material"],
      ...specs.filter((spec) => spec && typeof spec === "object").map((spec) => [text(spec.name), text(spec.value), "spec"]),
      ["SKU", text(data.sku), "sku"],
      ["GTIN", text(data.gtin), "gtin"],
    ]),
    el("p", { class: "muted small" },
      data.method === "llm" ? "Read by the language model from " : "Read from ",
      externalLink(data.producer_url, domainOf(data.producer_url) || "the maker's page")),
  );
}

/// "4 offers for sale · 2 sales": offers and sales are counted apart (a sale is a price paid, not an offer).
export function offerCountWords(offers, sales) {
  const parts = [offers === 1 ? "1 offer for sale" : `${offers} offers for sale`];
  if (sales > 0) parts.push(sales === 1 ? "1 recent sale" : `${sales} recent sales`);
  return parts.join(" · ");
}

/// The links the estimate rests on (its `comparables`), to mark those rows.
function estimateLinks(estimate) {
  const used = Array.isArray(estimate?.comparables) ? estimate.comparables : [];
  return new Set(used.map((c) => c?.link).filter((link) => typeof link === "string"));
}

/// "+ $8.50 shipping", "free shipping", or the marketplace's own words; "" when unknown.
function shippingWords(shipping, currency) {
  if (shipping === undefined || shipping === null || shipping === "") return "";
  const amount = Number(shipping);
  if (!Number.isFinite(amount)) return text(shipping);
  return amount === 0 ? "free shipping" : `+ ${money(shipping, currency)} shipping`;
}

/// A date as "6 Mar 2026" (an ISO date from the marketplace; as given when it is not one).
function shortDate(iso) {
  const match = typeof iso === "string" && /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return text(iso);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(date);
}

function listingRow(offer, used, sale) {
  const shipping = shippingWords(offer.shipping, offer.currency);
  return el("tr", { "data-field": sale ? "sale" : "offer", "data-used": used.has(offer.link) ? "true" : null },
    el("td", { class: "thumb" }, el("span", { class: "tile" }, remoteImage(offer.thumbnail, { alt: "", width: 40, height: 40 }))),
    el("th", { scope: "row", class: "offer-title" }, text(offer.title),
      sale ? el("span", { class: "sold-mark", "data-field": "sold-mark" }, offer.sold_date ? `Sold ${shortDate(offer.sold_date)}` : "Sold") : null,
      offer.partial_match === true ? el("span", { class: "muted small block", "data-field": "partial-match" }, "Looser match: not priced") : null,
      used.has(offer.link) ? el("span", { class: "muted small block", "data-field": "in-estimate" }, "Used in the estimate") : null),
    el("td", { class: "condition" }, condition(offer.condition),
      offer.wear && offer.wear !== condition(offer.condition) ? el("span", { class: "muted small block" }, text(offer.wear)) : null),
    el("td", { class: "num" }, money(offer.price, offer.currency),
      shipping ? el("span", { class: "muted small block", "data-field": "shipping" }, shipping) : null),
    el("td", {}, sale
      ? externalLink(offer.link, `the sale on ${text(offer.domain) || domainOf(offer.link) || "the marketplace"}`, { class: "sale-link small" })
      : externalLink(offer.link, `${text(offer.domain) || domainOf(offer.link) || "Open"} ↗`, { class: "offer-link" })),
  );
}

function listingTable(caption, rows, priceHeading, linkHeading) {
  return el("div", { class: "table-wrap" },
    el("table", { class: "offers" },
      el("caption", { class: "table-caption" }, caption),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Photo")),
        el("th", { scope: "col" }, "Listing"), el("th", { scope: "col" }, "Condition"),
        el("th", { scope: "col", class: "num" }, priceHeading), el("th", { scope: "col" }, linkHeading))),
      el("tbody", {}, rows)));
}

/// Offers for sale and sales apart: a sale (`sold: true`) is what someone paid, with its date,
/// never a link to buy. Once the estimate has arrived, the listings it rests on are marked.
export function offersBody(list, context = {}) {
  const all = Array.isArray(list) ? list.filter((item) => item && typeof item === "object") : [];
  const offers = all.filter((item) => item.sold !== true);
  const sales = all.filter((item) => item.sold === true);
  const used = estimateLinks(context["estimated-price"]);
  const count = el("p", { class: "muted", "data-field": "offer-count", "data-count": offers.length, "data-sales": sales.length },
    `${offerCountWords(offers.length, sales.length)}.`);
  if (all.length === 0) return el("div", {}, count);
  return el("div", {},
    count,
    offers.length ? listingTable("For sale now", offers.map((offer) => listingRow(offer, used, false)), "Price", "Shop") : null,
    sales.length ? listingTable("Sold recently", sales.map((sale) => listingRow(sale, used, true)), "Sold for", "Record") : null,
  );
}

/// `context`: the results seen so far in this stream by event name; the chart plots the offers
/// (converted at the rates the estimate names) and the retail price.
export function estimateBody(data, context) {
  const low = Number(data.min_range);
  const high = Number(data.max_range);
  const mid = Number(data.price);
  const position = high > low ? ((mid - low) / (high - low)) * 100 : 50;
  const range = el("div", { class: "range", "data-field": "estimate-range", "data-min": text(data.min_range), "data-max": text(data.max_range) },
    el("div", { class: "range-track", "aria-hidden": "true" },
      el("span", { class: "range-mark", style: `left: ${Math.min(100, Math.max(0, position)).toFixed(1)}%` })),
    el("p", { class: "range-labels" },
      el("span", {}, money(data.min_range, data.currency)),
      el("span", { class: "visually-hidden" }, " and "),
      el("span", {}, money(data.max_range, data.currency))),
  );
  const basis = data.basis === "retail" ? "Derived from the retail price: too few listings of the product itself."
    : data.basis === "comparables" ? restsOn(data) : "";
  // What the estimate rests on: the product's own sell-through and how many listings were left out.
  const sell = data.sell_through && typeof data.sell_through === "object" ? data.sell_through : null;
  const leftOut = data.rejected && typeof data.rejected === "object"
    ? Object.values(data.rejected).reduce((sum, n) => sum + (Number.isFinite(Number(n)) ? Number(n) : 0), 0) : 0;
  const rests = [
    sell ? `Sell-through ${Math.round(Number(sell.rate) * 100)} % (${Number(sell.sold)} sold, ${Number(sell.active)} for sale).` : "",
    leftOut > 0 ? `${leftOut} listing${leftOut === 1 ? "" : "s"} left out (other products, pack sizes, lots, looser matches).` : "",
  ].filter(Boolean).join(" ");
  const rates = data.rates && typeof data.rates === "object" ? data.rates : {};
  const { chart, converted, other } = priceChart(context["second-hand-offers"], data, context["retail-price-details"], rates);
  const usedRates = Object.keys(rates).filter((code) => converted.has(code)).sort();
  return el("div", {},
    el("p", { class: "price", "data-field": "estimate-price", "data-currency": text(data.currency) }, money(data.price, data.currency)),
    el("p", { class: "muted small" }, "Likely between"),
    range,
    meter("Certainty", Number(data.certainty), "certainty"),
    basis ? el("p", { class: "muted small", "data-field": "estimate-used" }, basis) : null,
    rests ? el("p", { class: "muted small", "data-field": "estimate-basis" }, rests) : null,
    chart ? el("figure", { class: "chart" }, chart,
      el("figcaption", { class: "muted small" }, "Dots: offers in ", text(data.currency),
        "; band: estimated range; line: estimate.",
        usedRates.length > 0 ? el("span", { class: "block", "data-field": "conversion" },
          `Converted to ${text(data.currency)} at the server's rates: `,
          usedRates.map((code) => `1 ${code} = ${Number(rates[code]).toFixed(4)} ${text(data.currency)}`).join("; "),
          typeof data.exchange_rates?.date === "string" ? ` (reference rates of ${shortDate(data.exchange_rates.date)})` : "", ".") : null,
        other > 0 ? ` ${other} offer${other === 1 ? "" : "s"} in currencies without a rate not plotted.` : "")) : null,
  );
}

/// Which listings the estimate used: "From 2 sales and 2 offers for sale (asking prices count less)."
function restsOn(data) {
  const sold = Number(data.sold_sample_size);
  const active = Number(data.active_sample_size);
  if (!Number.isFinite(sold) || !Number.isFinite(active)) {
    const n = Number(data.sample_size);
    return Number.isFinite(n) ? `From ${n} comparable listing${n === 1 ? "" : "s"}.` : "";
  }
  const parts = [];
  if (sold > 0) parts.push(sold === 1 ? "1 sale" : `${sold} sales`);
  if (active > 0) parts.push(active === 1 ? "1 offer for sale" : `${active} offers for sale`);
  const sources = Array.isArray(data.sold_sources) ? data.sold_sources.map((source) => SOLD_SOURCE_WORDS[source] ?? String(source)) : [];
  return `From ${parts.join(" and ") || "no listings"}${sold > 0 && active > 0 ? " (asking prices count less than sales)" : ""}`
    + (sold > 0 && sources.length ? `; sales from ${sources.join(" and ")}` : "") + ".";
}

const SOLD_SOURCE_WORDS = { "sold-listings-pages": "the marketplaces' sold-listings pages", "ebay-api": "eBay's API" };

export function matchesBody(list) {
  const matches = Array.isArray(list) ? list : [];
  const items = matches.map((match) => el("li", { class: "match" },
    remoteImage(match.thumbnail, { alt: "", width: 32, height: 32 }),
    el("span", {},
      externalLink(match.link, text(match.title) || text(match.domain)),
      el("span", { class: "muted small block" }, [text(match.source) || text(match.domain),
        match.price ? money(match.price, match.currency) : ""].filter(Boolean).join(" · ")))));
  return el("details", { class: "matches" },
    el("summary", {}, `${matches.length} visual match${matches.length === 1 ? "" : "es"}`),
    el("ul", {}, items));
}

/// The card of a result event this page has no renderer for: its payload as label/value rows
/// (a list: one block per item), so a new stage shows up without a line in web/.
export function genericBody(data) {
  const value = (item) => {
    if (item === null || item === undefined) return "";
    if (typeof item === "object") return JSON.stringify(item).slice(0, 300);
    return String(item);
  };
  const rows = (object) => facts(Object.entries(object).map(([key, item]) => [key.replaceAll("_", " "), value(item), key]));
  if (Array.isArray(data)) {
    return el("div", { class: "generic", "data-field": "generic" },
      el("p", { class: "muted small" }, data.length === 1 ? "1 item" : `${data.length} items`),
      data.slice(0, 20).map((item) => item && typeof item === "object" && !Array.isArray(item) ? rows(item) : el("p", {}, value(item))));
  }
  if (data && typeof data === "object") return el("div", { class: "generic", "data-field": "generic" }, rows(data));
  return el("p", { class: "generic", "data-field": "generic" }, value(data));
}

/// Card bodies by event name; an event missing here gets `genericBody`.
export const CARD_RENDERERS = {
  "model-producer": identificationBody,
  "producer-url": makerPageBody,
  "retail-price-details": retailBody,
  "estimated-price": estimateBody,
  "second-hand-offers": offersBody,
  "lens-matches": matchesBody,
  barcodes: barcodesBody,
  "photo-text": photoTextBody,
};

/// A labelled bar for a 0…1 value, read out as a percentage.
function meter(label, fraction, field) {
  const shown = percent(fraction);
  const value = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return el("div", { class: "meter-row" },
    el("span", { class: "meter-label" }, label),
    el("span", { class: "meter", role: "meter", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": 100,
      "aria-valuenow": Math.round(value * 100), "aria-valuetext": shown },
      el("span", { class: "meter-fill", style: `width: ${(value * 100).toFixed(0)}%` })),
    el("span", { class: "meter-value", "data-field": field }, shown),
  );
}
