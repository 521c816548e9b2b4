// The result section: the progress rail, the cards and the status line, driven by one stream's
// events. Applying the same event twice changes nothing (the caller also drops repeated ids).
import { el, remoteImage } from "./dom.js";
import { bytes, duration, money } from "./format.js";
import { CARD_READS, CARD_RENDERERS, CARD_TITLES, genericBody, offerCountWords } from "./cards.js";
import { countryName } from "./country.js";
import { failureNote, failureWords } from "./failures.js";

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
  /// `name` null: a result opened by its address alone; it takes the product's name once known.
  reset(name, previewURL) {
    this.stopClock();
    this.root.hidden = false;
    this.rail.replaceChildren();
    this.cards.replaceChildren();
    this.imageFacts.textContent = "";
    this.named = Boolean(name);
    this.title.textContent = name ?? "Shared result";
    this.context = {};
    this.steps = new Map();
    this.failures = new Map();  // stage → its stage-error (not fallbacks)
    this.serverClock = null;    // {elapsed: the run's last elapsed_ms seen, at: performance.now() then}
    this.retry.hidden = true;
    delete this.root.dataset.status;
    if (previewURL) {
      this.preview.src = previewURL;
      this.preview.alt = name ? `The photo: ${name}` : "The photo";
      this.preview.hidden = false;
    } else {
      this.preview.removeAttribute("src");
      this.preview.hidden = true;
    }
    this.hasPhoto = Boolean(previewURL);
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
        this.context[name] = data;
        this.imageFacts.replaceChildren(
          `${String(data.format ?? "").toUpperCase()} · ${data.width} × ${data.height} px · ${bytes(data.bytes)}`,
          typeof data.country === "string" ? el("span", { "data-field": "result-country", "data-country": data.country },
            ` · prices for ${countryName(data.country)}${typeof data.language === "string" ? ` (${data.language})` : ""}`) : "");
        return;
      case "model-producer":
        this.say(data.producer == null ? "Not identified: nothing more is looked up." : `Identified: ${data.producer} ${data.model ?? ""}. Looking for prices…`);
        if (data.producer != null && !this.named) this.title.textContent = `${data.producer} ${data.model ?? ""}`.trim();
        break;
    }
    // Later cards read earlier results (the estimate's chart plots the offers).
    this.context[name] = data;
    this.draw(name);
    for (const [card, reads] of Object.entries(CARD_READS)) {
      if (reads.includes(name) && card in this.context) this.draw(card);
    }
    if (name === "model-producer") this.neutraliseMadeUnnecessary();
    if (!this.hasPhoto) this.showProductPicture();
  }

  /// (Re)draws the card of result `name` from the context; a renderer's null (nothing to show)
  /// leaves the card out, unless an error note is on it.
  draw(name) {
    const render = CARD_RENDERERS[name] ?? genericBody;
    const body = render(this.context[name], this.context);
    if (body) return this.fill(name, body);
    const card = this.card(name);
    if (card && !card.querySelector(".stage-error")) card.remove();
  }

  /// A result opened from its address has no photo on this device: the product's own picture
  /// (the maker's image, else the first visual match's thumbnail) stands in once there is one.
  showProductPicture() {
    const retail = this.context["retail-price-details"]?.image;
    const match = Array.isArray(this.context["lens-matches"]) ? this.context["lens-matches"].find((m) => m?.thumbnail)?.thumbnail : null;
    const image = remoteImage(retail ?? match, {});
    const source = image?.getAttribute("src");
    if (!source || this.preview.getAttribute("src") === source) return;
    this.preview.src = source;
    this.preview.alt = "The product (the photo itself stays on the device it was sent from)";
    this.preview.hidden = false;
  }

  progress({ stage, state, elapsed_ms: elapsed, duration_ms: took }) {
    if (typeof stage !== "string") return;
    if (Number.isFinite(Number(elapsed))) this.serverClock = { elapsed: Number(elapsed), at: performance.now() };
    const step = this.step(stage);
    step.dataset.state = state;
    if (state === "started") {
      // Counts while the stage runs, from the run's own clock (a replay starts it where the run was).
      step.startedAt = Number(elapsed);
      this.tick(step);
      this.startClock();
    } else {
      delete step.startedAt;
      const word = STATE_WORDS[state] ?? String(state);
      const time = took !== undefined ? duration(took) : "";
      step.querySelector(".step-state").textContent = time ? `${word}, ${time}` : word;
    }
    if (state === "failed" || state === "skipped") this.card(stage)?.classList.add(state);
  }

  /// The run's elapsed time now, as the server counts it, carried on by this page's clock.
  elapsedNow() {
    return this.serverClock ? this.serverClock.elapsed + (performance.now() - this.serverClock.at) : 0;
  }

  tick(step) {
    const running = Math.max(0, this.elapsedNow() - (Number.isFinite(step.startedAt) ? step.startedAt : this.elapsedNow()));
    step.querySelector(".step-state").textContent = `running, ${duration(running)}`;
  }

  startClock() {
    if (this.clock) return;
    this.clock = setInterval(() => {
      const running = [...this.steps.values()].filter((step) => step.dataset.state === "started");
      for (const step of running) this.tick(step);
      if (running.length === 0) this.stopClock();
    }, 200);
  }

  stopClock() {
    clearInterval(this.clock);
    this.clock = null;
  }

  error(data) {
    const stage = typeof data.stage === "string" ? data.stage : "other";
    const card = this.card(stage, true);
    const notes = card.querySelector(".card-notes");
    if (data.fallback) {
      notes.append(failureNote(data, "fallback"));
      return;
    }
    // The stage's own failure lists every provider it tried: it replaces their fallback notes.
    if (Array.isArray(data.tried)) notes.querySelectorAll('.stage-error[data-kind="fallback"]').forEach((note) => note.remove());
    this.failures.set(stage, data);
    if (this.steps.has(stage)) this.step(stage).dataset.state = "failed";
    notes.append(failureNote(data, "failed"));
    card.classList.add("failed");
    this.neutraliseMadeUnnecessary();
  }

  /// A failed visual search is no failure once the product was identified another way (its
  /// barcode, its printed text, the photo alone): its card and step turn neutral and say so.
  neutraliseMadeUnnecessary() {
    const identity = this.context["model-producer"];
    const failure = this.failures.get("lens-matches");
    if (!failure || identity?.producer == null || failure.unneeded) return;
    failure.unneeded = true;
    const card = this.card("lens-matches", true);
    card.classList.remove("failed");
    card.classList.add("unneeded");
    this.steps.get("lens-matches")?.classList.add("unneeded");
    const from = Array.isArray(identity.evidence) ? identity.evidence.map((e) => EVIDENCE_SOURCES[e]).find(Boolean) : null;
    const note = failureNote(failure, "unneeded");
    note.querySelector("p").append(` The product was identified ${from ?? "another way"}.`);
    card.querySelector('.stage-error[data-kind="failed"]')?.replaceWith(note);
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

  /// The status line says what was found (and what could not be), not which state the run ended in.
  done({ status, elapsed_ms: elapsed }) {
    this.stopClock();
    for (const step of this.steps.values()) {
      if (step.dataset.state === "started") step.querySelector(".step-state").textContent = "stopped";
    }
    this.say(`${status === "failed" ? "Failed" : "Done"} in ${duration(elapsed)}: ${this.summary()}`);
    this.root.dataset.status = String(status);
  }

  summary() {
    const identity = this.context["model-producer"];
    const parts = [];
    if (identity?.producer != null) parts.push(`${identity.producer} ${identity.model ?? ""}`.trim());
    else if (identity) parts.push(identity.gtin ? `barcode ${identity.gtin}, which nothing names` : "not identified");
    const offers = this.context["second-hand-offers"];
    if (Array.isArray(offers)) {
      const sales = offers.filter((o) => o?.sold === true).length;
      parts.push(offerCountWords(offers.length - sales, sales));
    }
    const estimate = this.context["estimated-price"];
    if (estimate?.price != null) parts.push(`worth about ${money(estimate.price, estimate.currency)}`);
    const missing = [...this.failures.entries()].filter(([, error]) => !error.unneeded);
    let text = parts.length ? parts.join(" · ") + "." : "";
    if (identity?.producer == null && missing.length === 0) text += " Nothing more was looked up.";
    if (missing.length === 1) text += ` ${labelOf(missing[0][0])}: ${failureWords(missing[0][1])}`;
    else if (missing.length > 1) text += ` Not available: ${missing.map(([stage]) => labelOf(stage)).join(", ")}.`;
    return text.trim() || "nothing was found.";
  }
}

/// How the evidence names read after "identified".
const EVIDENCE_SOURCES = { barcode: "from its barcode", text: "from the text printed on it", "llm-photo": "from the photo alone" };

function labelOf(stage) {
  return CARD_TITLES[stage] ?? STAGE_LABELS[stage] ?? stage;
}

function insertInOrder(parent, node, rank, rankOf) {
  const after = [...parent.children].find((child) => rankOf(child) > rank);
  parent.insertBefore(node, after ?? null);
}
