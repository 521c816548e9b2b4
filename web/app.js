// The page's controller: photo intake (pick, drop, paste, camera, samples), the upload, the
// event stream of the result, and the recent results on this device.
import { el, showHostsThroughServer } from "./dom.js";
import { bytes, clock } from "./format.js";
import { setUpCountryPicker } from "./country.js";
import { forgetRecents, isResultID, loadRecents, photoThumbnail, rememberResult } from "./recents.js";
import { ResultView } from "./result-view.js";

const ACCEPTED_TYPES = ["image/png", "image/jpeg", "image/webp"];
const ACCEPTED_EXTENSIONS = /\.(png|jpe?g|webp)$/i;
// EventSource delivers named events only to listeners of that name. The stream's own events and
// the results known today are listened to from the start; a stage's result event carries the
// stage's name, and every stage sends `progress` before its result, so a listener for any other
// stage is added when its first progress arrives (a new stage needs no line here).
const STREAM_EVENTS = ["progress", "stage-error", "done", "image-info", "lens-matches", "model-producer", "producer-url",
  "retail-price-details", "second-hand-offers", "estimated-price"];
const MAX_UPLOAD = Number(document.querySelector('meta[name="lens-gpt-max-upload"]')?.content) || 20 * 1024 * 1024;

const $ = (selector) => document.querySelector(selector);
const view = new ResultView($("#result"));
const refusal = $("#refusal");
let current = null;  // the stream being shown: {id, source, seen, finished}
let lastUpload = null;  // the photo sent last from this page, to send again for another country

// A new country applies to the photo on screen at once, when this page still has it.
setUpCountryPicker($("#country"), () => {
  if (lastUpload && current?.id === lastUpload.id) submit(lastUpload.file, lastUpload.name, lastUpload.previewURL);
});

// --- Intake -----------------------------------------------------------------------------------

$("#limit").textContent = bytes(MAX_UPLOAD).replace(".0 ", " ");
$("#pick").addEventListener("click", () => $("#file").click());
$("#take").addEventListener("click", () => $("#camera").click());
// A phone's camera is only worth a button where there is one to point.
$("#take").hidden = !window.matchMedia("(pointer: coarse)").matches;
for (const input of [$("#file"), $("#camera")]) {
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) submit(file, file.name || "Camera photo", null);
    input.value = "";  // choosing the same file again still counts as a change
  });
}

const dropzone = $("#dropzone");
// The whole page takes drops, so a near miss does not make the browser navigate to the file.
document.addEventListener("dragover", (event) => {
  if (!event.dataTransfer?.types.includes("Files")) return;
  event.preventDefault();
  dropzone.classList.add("dragging");
});
document.addEventListener("dragleave", (event) => {
  if (event.relatedTarget === null) dropzone.classList.remove("dragging");
});
document.addEventListener("drop", (event) => {
  dropzone.classList.remove("dragging");
  const file = event.dataTransfer?.files?.[0];
  if (!file) return;
  event.preventDefault();
  submit(file, file.name || "Dropped image", null);
});
document.addEventListener("paste", (event) => {
  const file = [...(event.clipboardData?.files ?? [])][0];
  if (!file) return;
  event.preventDefault();
  submit(file, file.name && file.name !== "image.png" ? file.name : "Pasted image", null);
});

/// Why the server would refuse this file, checked before sending it; null when it looks fine.
/// Whether the bytes really are an image only the server can tell (it answers 415).
function localRefusal(file, name) {
  const typed = file.type ? ACCEPTED_TYPES.includes(file.type) : ACCEPTED_EXTENSIONS.test(file.name ?? "");
  if (!typed) return `“${name}” is not a PNG, JPEG or WebP image.`;
  if (file.size === 0) return `“${name}” is empty.`;
  if (file.size > MAX_UPLOAD) return `“${name}” is ${bytes(file.size)}; photos can be at most ${$("#limit").textContent}.`;
  return null;
}

function refuse(message) {
  refusal.textContent = message;
  refusal.hidden = false;
}

async function submit(file, name, previewURL) {
  const problem = localRefusal(file, name);
  if (problem) return refuse(problem);
  refusal.hidden = true;
  $("#intake-status").textContent = `Uploading “${name}”…`;
  const body = new FormData();
  body.append("file", file, file.name || "photo");
  // The result is for this country (the server's default when the page has none to offer).
  const country = $("#country").value;
  if (country) body.append("country", country);
  let response;
  try {
    response = await fetch("/classify", { method: "POST", body, headers: { Accept: "application/json" } });
  } catch {
    $("#intake-status").textContent = "";
    return refuse(`“${name}” could not be sent: the server did not answer.`);
  }
  $("#intake-status").textContent = "";
  const reply = await response.json().catch(() => null);
  if (!response.ok || !reply || !isResultID(reply.id)) {
    const message = reply?.error?.message ?? `the server answered ${response.status}`;
    const wait = response.headers.get("Retry-After");
    return refuse(`The server refused “${name}”: ${message}${wait ? ` (try again in ${wait} s)` : ""}.`);
  }
  rememberResult(reply.id, { name, time: Date.now(), status: "running", events: reply.events_url });
  renderRecents();
  history.replaceState(null, "", `#result=${reply.id}`);
  const preview = previewURL ?? URL.createObjectURL(file);
  lastUpload = { file, name, previewURL: preview, id: reply.id };
  show(reply.id, reply.events_url, name, preview);
  // A small copy of the photo on this device, so reopening the result later shows it.
  photoThumbnail(file).then((thumb) => { if (thumb) rememberResult(reply.id, { thumb }); });
  $("#result-title").focus({ preventScroll: false });
}

// --- Samples ------------------------------------------------------------------------------------

async function loadSamples() {
  let samples;
  try {
    const response = await fetch("/demo/samples.json");
    if (!response.ok) return;  // not a demo server
    samples = await response.json();
  } catch {
    return;
  }
  if (!Array.isArray(samples)) return;
  const list = $("#sample-list");
  for (const sample of samples) {
    const url = sameOriginPath(sample?.url);
    const name = typeof sample?.name === "string" ? sample.name : null;
    if (!url || !name) continue;
    const button = el("button", { type: "button", class: "sample", "data-sample": url },
      el("img", { src: url, alt: "", width: 64, height: 64 }), el("span", {}, name));
    button.addEventListener("click", () => trySample(url, name));
    list.append(el("li", {}, button));
  }
  $("#samples").hidden = list.children.length === 0;
}

async function trySample(url, name) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(String(response.status));
    const blob = await response.blob();
    const fileName = url.split("/").pop();
    await submit(new File([blob], fileName, { type: blob.type || "image/png" }), name, url);
  } catch {
    refuse(`The sample “${name}” could not be loaded.`);
  }
}

/// A path on this server, or null: samples and stored stream URLs never point elsewhere.
function sameOriginPath(text) {
  if (typeof text !== "string") return null;
  try {
    const url = new URL(text, location.href);
    return url.origin === location.origin ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

// --- The stream ---------------------------------------------------------------------------------

/// A demo server shows its offline web through itself (`/demo/links.json`); asked once, before
/// the first card is drawn, so every link is right from the start.
const linksReady = fetch("/demo/links.json")
  .then((response) => (response.ok ? response.json() : null))
  .then((rule) => showHostsThroughServer(rule))
  .catch(() => {});

/// Shows result `id` from its stream; replays from the start, so reopening works the same way.
async function show(id, eventsURL, name, previewURL) {
  current?.source?.close();
  const run = { id, eventsURL, seen: new Set(), lastID: null, finished: false };
  current = run;
  view.reset(name, previewURL);
  view.say("Working…");
  await linksReady;
  if (current === run) follow(run);
}

function follow(run, resumeAfter) {
  current = run;
  const url = new URL(run.eventsURL, location.href);
  if (resumeAfter) url.searchParams.set("lastEventId", resumeAfter);
  const source = new EventSource(url);
  run.source = source;
  run.listening = new Set();
  run.listen = (name) => {
    if (run.listening.has(name)) return;
    run.listening.add(name);
    source.addEventListener(name, (event) => receive(run, name, event));
  };
  for (const name of STREAM_EVENTS) run.listen(name);
  source.addEventListener("open", () => {
    if (run === current && !run.finished && run.seen.size > 0) view.say("Reconnected; catching up…");
  });
  source.addEventListener("error", () => {
    if (run !== current || run.finished) return;
    if (source.readyState === EventSource.CONNECTING) {
      // EventSource reconnects by itself and sends Last-Event-ID, so the stream resumes.
      view.say("Reconnecting…");
    } else {
      source.close();
      view.say(run.seen.size === 0 ? "This result could not be opened (it may have expired)." : "The connection was lost.");
      view.offerRetry(() => follow(run, run.lastID));
    }
  });
}

function receive(run, name, event) {
  if (run !== current) return;
  // Ids are the same on every replay: an event seen before is not applied twice.
  if (event.lastEventId) {
    if (run.seen.has(event.lastEventId)) return;
    run.seen.add(event.lastEventId);
    run.lastID = event.lastEventId;
  }
  let envelope;
  try {
    envelope = JSON.parse(event.data);
  } catch {
    return;
  }
  const data = envelope?.data;
  if (name === "progress" && typeof data?.stage === "string") run.listen(data.stage);
  if (name === "done") {
    run.finished = true;
    run.source.close();  // the server would answer a reconnect with 204 anyway
    view.done(data ?? {});
    rememberResult(run.id, { status: String(data?.status ?? "complete") });
    renderRecents();
    return;
  }
  if (view.status.textContent.startsWith("Reconnect")) view.say("Working…");
  view.apply(name, data);
}

// --- Recent results -----------------------------------------------------------------------------

function renderRecents() {
  const recents = loadRecents();
  const list = $("#recent-list");
  list.replaceChildren(...recents.map((entry) => {
    const button = el("button", { type: "button", class: "recent", "data-result": entry.id },
      el("span", { class: "recent-name" }, String(entry.name ?? "Photo")),
      el("span", { class: "muted small" }, `${clock(new Date(Number(entry.time) || 0))} · ${String(entry.status ?? "")}`));
    button.addEventListener("click", () => { location.hash = `result=${entry.id}`; });
    return el("li", {}, button);
  }));
  $("#recents").hidden = recents.length === 0;
}

$("#clear-recents").addEventListener("click", () => {
  forgetRecents();
  renderRecents();
});

/// `#result={id}` opens a result by id: links to results can be kept and shared.
function openFromHash() {
  const id = new URLSearchParams(location.hash.slice(1)).get("result");
  if (!isResultID(id) || current?.id === id) return;
  const entry = loadRecents().find((recent) => recent.id === id);
  const stored = sameOriginPath(entry?.events);
  const thumb = typeof entry?.thumb === "string" && entry.thumb.startsWith("data:image/") ? entry.thumb : null;
  show(id, stored?.startsWith(`/results/${id}/events`) ? stored : `/results/${id}/events`, entry?.name ?? null, thumb);
}

window.addEventListener("hashchange", openFromHash);
renderRecents();
openFromHash();
loadSamples();
