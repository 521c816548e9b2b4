// Recent results on this device: id, name, time and status, newest first. Only ids and our own
// labels are stored; results themselves are replayed from the server.

const KEY = "lens-gpt.recents";
const LIMIT = 12;
const RESULT_ID = /^[0-9a-f]{64}$/;

export function loadRecents() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(stored) ? stored.filter((entry) => RESULT_ID.test(entry?.id)) : [];
  } catch {
    return [];  // storage off, full or edited by hand: start over
  }
}

/// Adds or updates the entry for `id` and moves it to the top.
export function rememberResult(id, changes) {
  if (!RESULT_ID.test(id)) return loadRecents();
  const list = loadRecents();
  const existing = list.find((entry) => entry.id === id) ?? { id, name: "Photo", time: Date.now(), status: "running" };
  const updated = [{ ...existing, ...changes, id }, ...list.filter((entry) => entry.id !== id)].slice(0, LIMIT);
  save(updated);
  return updated;
}

export function forgetRecents() {
  save([]);
  return [];
}

export function isResultID(text) {
  return RESULT_ID.test(text);
}

function save(list) {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Private mode or quota: recents are a convenience, the page works without them.
  }
}

/// A JPEG data URL of the photo at most 96 px on its longer side, or null when it cannot be drawn.
export async function photoThumbnail(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 96 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL("image/jpeg", 0.8);
  } catch {
    return null;  // an image this browser cannot decode: the result shows the product's picture instead
  }
}
