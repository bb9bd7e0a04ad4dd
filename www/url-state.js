// The page's address keeps the view to share: `#p=<source>,<source>&t=<text>`. A source is a
// preset id, `url:<url>` or `hub:<id>`; a file cannot be shared (an empty entry).

import { presetSource, remoteSource, savedForm } from "./sources.js";
import { state } from "./state.js";

/** Texts up to this length (UTF-16 units) are kept in the URL so a view can be shared. */
const URL_TEXT_LIMIT = 2_000;

/** The saved sources (as written: resolve each with `savedSource`) and text, if any. */
export function readUrlState() {
  const params = new URLSearchParams(location.hash.slice(1));
  return {
    sources: params.get("p")?.split(",") ?? [],
    text: params.get("t"),
  };
}

export function saveUrlState() {
  const params = new URLSearchParams();
  params.set("p", state.panes.map((p) => encodeURIComponent(savedForm(p.source))).join(","));
  if (state.text.length <= URL_TEXT_LIMIT) params.set("t", state.text);
  history.replaceState(null, "", `#${params}`);
}

/** The source a saved entry names, or null (unknown preset, empty entry). Needs `state.presets`. */
export function savedSource(entry) {
  const value = decodeURIComponent(entry ?? "");
  if (value.startsWith("url:") || value.startsWith("hub:")) return remoteSource(value.slice(4));
  const preset = state.presets.find((p) => p.id === value);
  return preset ? presetSource(preset) : null;
}
