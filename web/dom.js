// DOM building without HTML parsing: everything that came from a server or a shop page is set
// with textContent or a checked attribute, never parsed as markup.

const SVG_NS = "http://www.w3.org/2000/svg";

/// `el("p", {class: "x", "data-field": "price"}, "text", child)`; strings become text nodes.
export function el(tag, attributes = {}, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

export function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attributes, children);
}

function fill(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/// Hosts the server shows through itself (the demo's `.example` web, which only the server can
/// reach): `{host_suffix, prefix}` from `/demo/links.json`, or null on a real deployment.
let throughServer = null;
export function showHostsThroughServer(rule) {
  throughServer = rule && typeof rule.host_suffix === "string" && typeof rule.prefix === "string" && rule.prefix.startsWith("/") ? rule : null;
}

/// An http(s) URL from a page, or null: `javascript:`, `data:` and the like never become links.
export function webURL(text) {
  if (typeof text !== "string" || text === "") return null;
  try {
    const url = new URL(text, document.baseURI);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (throughServer && url.origin !== location.origin && url.hostname.endsWith(throughServer.host_suffix)) {
      return new URL(`${throughServer.prefix}${url.hostname}${url.pathname}${url.search}`, location.href).href;
    }
    return url.href;
  } catch {
    return null;
  }
}

/// A link that opens in a new tab without handing the shop a reference to this page; plain
/// text when the URL is not http(s).
export function externalLink(url, label, attributes = {}) {
  const href = webURL(url);
  if (!href) return el("span", attributes, label);
  return el("a", { ...attributes, href, target: "_blank", rel: "noopener noreferrer" }, label);
}

/// An image only from `data:image/…` or http(s); it removes itself when it cannot load (the
/// demo's marketplaces exist only for the server, and real shops block hotlinks).
export function remoteImage(url, attributes = {}) {
  const source = typeof url === "string" && url.startsWith("data:image/") ? url : webURL(url);
  if (!source) return null;
  // Shown only once loaded: an unreachable host may take long to fail, and a broken-image icon
  // says nothing useful meanwhile.
  const image = el("img", { ...attributes, src: source, decoding: "async", referrerpolicy: "no-referrer", class: `${attributes.class ?? ""} loading`.trim() });
  image.addEventListener("load", () => image.classList.remove("loading"), { once: true });
  image.addEventListener("error", () => image.classList.replace("loading", "broken"), { once: true });
  return image;
}

/// A `<dl>` of label/value rows, skipping empty values.
export function facts(rows) {
  const list = el("dl", { class: "facts" });
  for (const [label, value, field] of rows) {
    if (value === undefined || value === null || value === "") continue;
    list.append(el("dt", {}, label), el("dd", { "data-field": field }, value));
  }
  return list;
}
