// The country results are for: prices, marketplaces and currency differ by country, so the page
// says which one a result is for and lets the user pick another. The choice is remembered on
// this device; without one it is the browser's own (the region of its language).

const KEY = "lens-gpt.country";
const CODE = /^[A-Z]{2}$/;
/// Offered in the picker (the browser's own and a remembered one are added when missing).
const COUNTRIES = ["AT", "AU", "BE", "BR", "CA", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IN", "IT", "JP", "KR",
  "MX", "NL", "NO", "NZ", "PL", "PT", "SE", "US"];

/// "Germany" for "DE", in the browser's language; the code itself when it has no name.
export function countryName(code) {
  try {
    return new Intl.DisplayNames(undefined, { type: "region" }).of(code) ?? code;
  } catch {
    return String(code);
  }
}

/// The region of the browser's first language that has one ("en-GB" → "GB"; "de" → "DE", its likely region).
export function browserCountry() {
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    try {
      const locale = new Intl.Locale(tag);
      const region = locale.region ?? locale.maximize().region;
      if (region && CODE.test(region)) return region;
    } catch {
      // Not a language tag: try the next.
    }
  }
  return null;
}

/// The remembered country, else the browser's; null when neither says (the server's default then).
export function chosenCountry() {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored && CODE.test(stored)) return stored;
  } catch {
    // Storage off: the browser's country each time.
  }
  return browserCountry();
}

function remember(code) {
  try {
    localStorage.setItem(KEY, code);
  } catch {
    // Private mode or quota: the choice lasts for this page only.
  }
}

/// Fills `select` with the countries by name, selects the chosen one and calls `changed(code)` on a new pick.
export function setUpCountryPicker(select, changed) {
  const chosen = chosenCountry();
  const codes = [...new Set([...COUNTRIES, browserCountry(), chosen].filter(Boolean))];
  const named = codes.map((code) => [code, countryName(code)]).sort((a, b) => a[1].localeCompare(b[1]));
  select.replaceChildren(...(chosen ? [] : [new Option("the server's default", "")]), ...named.map(([code, name]) => new Option(name, code)));
  select.value = chosen ?? "";
  select.addEventListener("change", () => {
    if (!CODE.test(select.value)) return;
    remember(select.value);
    changed(select.value);
  });
}
