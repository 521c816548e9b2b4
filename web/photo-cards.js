// The cards of what was read from the photo itself: its barcodes and its printed text, in words.
// Each returns null when there is nothing to show, and the card is then left out.
import { el } from "./dom.js";
import { providerName } from "./failures.js";

const text = (value) => (typeof value === "string" || typeof value === "number" ? String(value) : "");

/// Words read with less confidence than this (Tesseract's 0..100) are shown faded.
const SURE_WORD = 60;
/// Lines shown before the rest is folded away.
const SHOWN_LINES = 6;

/// `context["model-producer"]`: what identification made of the code, once it has answered.
export function barcodesBody(list, context = {}) {
  const codes = Array.isArray(list) ? list.filter((code) => code && typeof code === "object" && text(code.value)) : [];
  if (codes.length === 0) return null;
  const identity = context["model-producer"];
  return el("ul", { class: "barcodes" }, codes.map((code) => el("li", { class: "barcode", "data-field": "barcode" },
    el("p", {},
      el("span", { class: "code-value", "data-field": "barcode-value" }, text(code.value)), " ",
      el("span", { class: "muted small" }, text(code.symbology) || "barcode")),
    el("p", { class: "small", "data-field": "barcode-names" }, namedBy(code, identity)),
  )));
}

/// What a code names, as far as identification has told.
function namedBy(code, identity) {
  if (!identity) return "Looking up what it names…";
  const same = typeof identity.gtin === "string" && typeof code.gtin === "string" && identity.gtin === code.gtin;
  if (!same) return "Not the code the product was looked up by.";
  if (identity.producer == null) return "No product database or web page names this number.";
  const product = `${text(identity.producer)} ${text(identity.model)}`.trim();
  const fromBarcode = Array.isArray(identity.evidence) && identity.evidence[0] === "barcode";
  return fromBarcode && identity.source ? `Names ${product} (in ${providerName(identity.source)}).` : `Belongs to ${product}.`;
}

export function photoTextBody(data) {
  if (!data || typeof data !== "object") return null;
  const lines = readLines(data);
  if (lines.length === 0) return null;
  const render = (words) => el("p", { class: "text-line", "data-field": "text-line" },
    words.flatMap((word, index) => [index > 0 ? " " : null, word]));
  const first = lines.slice(0, SHOWN_LINES).map(render);
  const rest = lines.slice(SHOWN_LINES).map(render);
  const stopped = { lines: "the line budget", characters: "the size limit", time: "the time limit" }[data.truncated_by];
  const faded = lines.some((words) => words.some((word) => word.classList?.contains("unsure")));
  return el("div", { class: "photo-text" },
    el("blockquote", { class: "printed" }, first,
      rest.length ? el("details", {}, el("summary", { class: "small" }, `${rest.length} more line${rest.length === 1 ? "" : "s"}`), rest) : null),
    el("p", { class: "muted small" },
      faded ? "Faded words were hard to read. " : "",
      data.language ? `Read as ${text(data.language)}.` : "",
      data.truncated === true ? ` Reading stopped early at ${stopped ?? "a limit"}.` : ""),
  );
}

/// The lines as lists of word nodes: from `words` (with their confidence) where given, else from `lines`.
function readLines(data) {
  const words = Array.isArray(data.words) ? data.words.filter((word) => word && text(word.text)) : [];
  if (words.length > 0 && words.every((word) => Number.isInteger(word.line))) {
    const byLine = new Map();
    for (const word of words) {
      const sure = Number(word.confidence);
      const node = el("span", Number.isFinite(sure) && sure < SURE_WORD
        ? { class: "unsure", title: `read with ${Math.round(sure)} % confidence` } : {}, text(word.text));
      byLine.set(word.line, [...(byLine.get(word.line) ?? []), node]);
    }
    return [...byLine.keys()].sort((a, b) => a - b).map((line) => byLine.get(line));
  }
  const lines = Array.isArray(data.lines) ? data.lines : typeof data.text === "string" ? data.text.split("\n") : [];
  return lines.map(text).filter((line) => line.trim()).map((line) => [el("span", {}, line)]);
}
