// The small price chart: offers as dots on one axis, the estimate's range as a band and its
// price as a line. Offers in other currencies are plotted converted at the rates the estimate
// itself names (the server's, which it used); those without a rate are counted, not plotted.
import { svg } from "./dom.js";
import { money } from "./format.js";

const WIDTH = 320;
const HEIGHT = 96;
const LEFT = 14;
const RIGHT = WIDTH - 14;
const AXIS_Y = 66;

/// Returns `{chart, comparable, converted, other}`: `converted` the set of currencies brought in
/// through `rates` (code → value of one unit in the estimate's currency); `chart` is null when
/// there is nothing to draw.
export function priceChart(offers, estimate, retail, rates = {}) {
  const currency = estimate.currency;
  const comparable = [];
  const converted = new Set();
  let other = 0;
  const inCurrency = (amount, code) => {
    if (code === currency) return amount;
    const rate = Number(rates?.[code]);
    if (!Number.isFinite(rate) || rate <= 0) return NaN;
    converted.add(code);
    return amount * rate;
  };
  for (const offer of Array.isArray(offers) ? offers : []) {
    const amount = Number(offer?.price);
    if (!Number.isFinite(amount) || offer.partial_match === true) continue;  // looser matches are never priced
    const price = inCurrency(amount, offer.currency);
    if (Number.isFinite(price)) comparable.push({ price, title: String(offer.title ?? "") });
    else other += 1;
  }
  const low = Number(estimate.min_range);
  const high = Number(estimate.max_range);
  const mid = Number(estimate.price);
  if (![low, high, mid].every(Number.isFinite)) return { chart: null, comparable, converted, other };
  const retailPrice = retail && retail.currency === currency ? Number(retail.price) : NaN;

  const values = [low, high, mid, ...comparable.map((o) => o.price)];
  if (Number.isFinite(retailPrice)) values.push(retailPrice);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = (hi - lo) * 0.08 || Math.max(1, hi * 0.1);
  lo = Math.max(0, lo - pad);
  hi += pad;
  const x = (value) => LEFT + ((value - lo) / (hi - lo)) * (RIGHT - LEFT);
  const short = (value) => money(value.toFixed(0), currency).replace(/[.,]00$/, "");

  const description = `Offer prices ${comparable.map((o) => money(o.price, currency)).join(", ") || "none"}; `
    + `estimate ${money(estimate.price, currency)}, range ${money(estimate.min_range, currency)} to ${money(estimate.max_range, currency)}`
    + (Number.isFinite(retailPrice) ? `; retail ${money(retailPrice, currency)}` : "") + ".";
  const chart = svg("svg", { class: "price-chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": description },
    svg("rect", { class: "band", x: x(low), y: 18, width: Math.max(1, x(high) - x(low)), height: AXIS_Y - 18, rx: 3 }),
    svg("line", { class: "axis", x1: LEFT, x2: RIGHT, y1: AXIS_Y, y2: AXIS_Y }),
    svg("line", { class: "estimate", x1: x(mid), x2: x(mid), y1: 12, y2: AXIS_Y }),
    svg("text", { class: "label strong", x: x(mid), y: 9, "text-anchor": anchor(x(mid)) }, money(estimate.price, currency)),
    svg("text", { class: "label", x: LEFT, y: AXIS_Y + 16, "text-anchor": "start" }, short(lo)),
    svg("text", { class: "label", x: RIGHT, y: AXIS_Y + 16, "text-anchor": "end" }, short(hi)),
  );
  if (Number.isFinite(retailPrice)) {
    chart.append(
      svg("line", { class: "retail", x1: x(retailPrice), x2: x(retailPrice), y1: 30, y2: AXIS_Y }),
      svg("text", { class: "label", x: x(retailPrice), y: 26, "text-anchor": anchor(x(retailPrice)) }, "retail"),
    );
  }
  // Dots at three heights so equal prices stay visible side by side.
  comparable.forEach((offer, index) => {
    chart.append(svg("circle", { class: "offer", cx: x(offer.price), cy: 32 + (index % 3) * 12, r: 5 },
      svg("title", {}, `${money(offer.price, currency)} — ${offer.title}`)));
  });
  return { chart, comparable, converted, other };
}

function anchor(position) {
  if (position < LEFT + 30) return "start";
  if (position > RIGHT - 30) return "end";
  return "middle";
}
