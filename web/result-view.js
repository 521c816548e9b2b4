// The result section: the progress rail, the cards and the status line, driven by one stream's
// events. Applying the same event twice changes nothing (the caller also drops repeated ids).
import { el } from "./dom.js";
import { bytes, duration } from "./format.js";
import { CARD_RENDERERS, CARD_TITLES, genericBody } from "./cards.js";

/// Rail steps appear in the order their stages first send progress (the server starts stages in
/// tree order), so a new stage needs no line here; these labels only read better than the names.
const STAGE_LABELS = {
  "image-info": "Read photo", "lens-matches": "Visual search", "model-producer": "Identify", "producer-url": "Maker's page",
  barcodes: "Barcode", "photo-text": "Printed text",
  "retail-price-details": "Retail details", "second-hand-offers": "Offers", "estimated-price": "Estimate",
};
const STATE_WORDS = { started: "running", finished: "done", failed: "failed", skipped: "skipped" };
const CARD_ORDER = Object.keys(CARD_TITLES);

export class ResultView {
  constructor(root) {
    this.root = root;
    this.rail = root.querySelector("#rail");
    this.cards = root.querySelector("#cards");
    this.status = root.querySelector("#status");
    this.title = root.querySelector("#result-title");
    this.imageFacts = root.querySelector("#image-facts");
    this.preview = root.querySelector("#preview");
    this.retry = root.querySelector("#retry");
  }

  /// Clears everything for a new result.
  reset(name, previewURL) {
    this.root.hidden = false;
    this.rail.replaceChildren();
    this.cards.replaceChildren();
    this.imageFacts.textContent = "";
    this.title.textContent = name;
    this.context = {};
    this.steps = new Map();
    this.retry.hidden = true;
    delete this.root.dataset.status;
    if (previewURL) {
      this.preview.src = previewURL;
      this.preview.alt = `The photo: ${name}`;
      this.preview.hidden = false;
    } else {
      this.preview.removeAttribute("src");
      this.preview.hidden = true;
    }
  }

  say(message) {
    this.status.textContent = message;
  }

  /// A "Try again" button beside the status, for a stream that closed before `done`.
  offerRetry(action) {
    this.retry.hidden = false;
    this.retry.onclick = () => {
      this.retry.hidden = true;
      this.say("Reconnecting…");
      action();
    };
  }

  /// Applies one event of the stream. A result event without a renderer of its own (a stage
  /// added since this page was written) gets a generic card: PROTOCOL.md allows more events.
  apply(name, data) {
    if (data === null || data === undefined) return;
    switch (name) {
      case "progress": return this.progress(data);
      case "stage-error": return this.error(data);
      case "image-info":
        // The locale too: the same photo has one result per country and language.
        this.imageFacts.textContent = `${String(data.format ?? "").toUpperCase()} · ${data.width} × ${data.height} px · ${bytes(data.bytes)}`
          + (typeof data.country === "string" ? ` · result for ${data.country}${typeof data.language === "string" ? ` (${data.language})` : ""}` : "");
        return;
      case "model-producer":
        this.say(data.producer == null ? "Not identified: nothing more is looked up." : `Identified: ${data.producer} ${data.model ?? ""}. Looking for prices…`);
        break;
    }
    // Later cards read earlier results (the estimate's chart plots the offers).
    this.context[name] = data;
    const render = CARD_RENDERERS[name] ?? genericBody;
    this.fill(name, render(data, this.context));
  }

  progress({ stage, state, elapsed_ms: elapsed, duration_ms: took }) {
    if (typeof stage !== "string") return;
    const step = this.step(stage);
    step.dataset.state = state;
    const word = STATE_WORDS[state] ?? String(state);
    const time = state === "started" ? `at ${duration(elapsed)}` : took !== undefined ? duration(took) : "";
    step.querySelector(".step-state").textContent = time ? `${word}, ${time}` : word;
    if (state === "failed" || state === "skipped") this.card(stage)?.classList.add(state);
  }

  error(data) {
    const stage = typeof data.stage === "string" ? data.stage : "other";
    if (this.steps.has(stage) && !data.fallback) this.step(stage).dataset.state = "failed";
    const card = this.card(stage, true);
    const note = el("p", { class: "stage-error", "data-code": String(data.code ?? ""), role: "note" },
      el("strong", {}, data.fallback ? "Fell back: " : "Failed: "), String(data.message ?? data.code ?? "unknown error"),
      data.retryable && !data.fallback ? el("span", { class: "muted small block" }, "Trying the photo again may work.") : null);
    card.querySelector(".card-notes").append(note);
    if (!data.fallback) card.classList.add("failed");
  }

  /// The rail step for a stage, created in pipeline order.
  step(stage) {
    let step = this.steps.get(stage);
    if (step) return step;
    step = el("li", { class: "step", "data-stage": stage, "data-state": "pending" },
      el("span", { class: "step-dot", "aria-hidden": "true" }),
      el("span", { class: "step-name" }, STAGE_LABELS[stage] ?? stage),
      el("span", { class: "step-state" }, "waiting"));
    this.steps.set(stage, step);
    this.rail.append(step);
    return step;
  }

  /// The card for a stage; `create` makes it when missing (errors of stages without a card of
  /// their own, like image-info, get one too so they show where they happened).
  card(stage, create = false) {
    const existing = this.cards.querySelector(`[data-card="${CSS.escape(stage)}"]`);
    if (existing || !create) return existing;
    const titleID = `card-title-${stage.replace(/[^a-z0-9-]/gi, "")}`;
    const card = el("article", { class: "card", "data-card": stage, "aria-labelledby": titleID },
      el("h3", { id: titleID }, CARD_TITLES[stage] ?? STAGE_LABELS[stage] ?? stage),
      el("div", { class: "card-body" }),
      el("div", { class: "card-notes" }));
    const order = (name) => { const i = CARD_ORDER.indexOf(name); return i < 0 ? CARD_ORDER.length : i; };
    insertInOrder(this.cards, card, order(stage), (node) => order(node.dataset.card));
    return card;
  }

  fill(stage, body) {
    const card = this.card(stage, true);
    card.querySelector(".card-body").replaceChildren(body);
    card.classList.add("arrived");
  }

  done({ status, elapsed_ms: elapsed }) {
    const words = { complete: "Done", partial: "Done, with some results missing", failed: "Failed" };
    this.say(`${words[status] ?? String(status)} in ${duration(elapsed)}.`);
    this.root.dataset.status = String(status);
  }
}

function insertInOrder(parent, node, rank, rankOf) {
  const after = [...parent.children].find((child) => rankOf(child) > rank);
  parent.insertBefore(node, after ?? null);
}
