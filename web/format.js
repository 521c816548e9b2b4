// How numbers, money and times read on the page.

/// "$129.00" for ("129.00", "USD"); the amount and code as given when the code is unknown.
export function money(amount, currency) {
  const value = Number(amount);
  if (!Number.isFinite(value)) return String(amount ?? "");
  if (typeof currency === "string" && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(value);
    } catch {
      // An ISO-shaped code the browser does not know: fall through.
    }
  }
  return currency ? `${amount} ${currency}` : String(amount);
}

/// "0.8 s", "12 ms".
export function duration(millis) {
  const value = Number(millis);
  if (!Number.isFinite(value)) return "";
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

export function bytes(count) {
  const value = Number(count);
  if (!Number.isFinite(value)) return "";
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

/// 0.77 → "77 %".
export function percent(fraction) {
  const value = Number(fraction);
  return Number.isFinite(value) ? `${Math.round(Math.min(1, Math.max(0, value)) * 100)} %` : "";
}

/// PROTOCOL.md's normalised conditions, for people.
const CONDITIONS = {
  new: "New", like_new: "Like new", very_good: "Very good", good: "Good", acceptable: "Acceptable",
  for_parts: "For parts", used: "Used", unknown: "Unknown",
};

export function condition(code) {
  return CONDITIONS[code] ?? (typeof code === "string" ? code : "");
}

/// "InStock" or "https://schema.org/InStock" → "In stock".
export function availability(text) {
  if (typeof text !== "string") return "";
  const word = text.split("/").pop();
  return word.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().replace(/^./, (c) => c.toUpperCase());
}

export function clock(date) {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short" }).format(date);
}
