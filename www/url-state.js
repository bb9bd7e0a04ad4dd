// The page's address keeps the view to share:
//   #p=<source>,<source>&t=<text>&o=<options>&s=<special-token policy>
// A source is a preset id, `url:<url>`, `hub:<id>` or `file:<name>` (a file's bytes cannot be
// in a link: the pane opened from it says so and asks for the file). A text over
// URL_TEXT_LIMIT characters is kept deflated (`z=`, base64url) while that stays under
// URL_ZIPPED_LIMIT; a longer one leaves only its length (`n=`), and the page opened from the
// link says the text did not fit. Copy link (main.js) says what a link could not carry.

import { missingSource, presetSource, remoteSource, savedForm } from "./sources.js";
import { state } from "./state.js";
import { fmt } from "./dom.js";
import { codePointLength } from "./segments.js";

/** Texts up to this length (UTF-16 units) are kept as they are, readable in the address. */
const URL_TEXT_LIMIT = 2_000;
/** Deflated, base64url: longer texts fit while this is not passed. Chromium takes addresses of
 * 2 MB, but chat apps and mail clients cut links of tens of kilobytes; 32,000 characters hold
 * about 100 KB of English prose (deflate gets ~3.5×, base64 costs 4/3). */
const URL_ZIPPED_LIMIT = 32_000;
/** Longer texts are not deflated at all: a link holds them only when they repeat themselves
 * (prose deflates ~3.5×, so about 100 KB fits), and deflating a 3 MB paste would cost the main
 * thread ~100 ms at each edit. */
const ZIP_TEXT_MAX = 256 * 1024;
/** The page's toggles, by their name in the address. */
const OPTIONS = ["ws", "ids", "diff", "special", "stage", "pieces", "cuts"];

/** The saved sources (as written: resolve each with `savedSource`), text, options and what
 * the link could not carry. */
export async function readUrlState() {
  const params = new URLSearchParams(location.hash.slice(1));
  let text = params.get("t");
  let lost = null;
  const zipped = params.get("z");
  if (text === null && zipped !== null) {
    try {
      text = await inflate(zipped);
    } catch {
      lost = "the text in this link is damaged (cut short?), so the sample is shown";
    }
  }
  const length = Number(params.get("n"));
  if (text === null && length > 0) {
    lost = `the text of this link (${fmt(length)} characters) was too long to be kept in it: paste it again`;
  }
  const options = new Set((params.get("o") ?? "").split(",").filter(Boolean));
  return {
    sources: params.get("p")?.split(",") ?? [],
    text,
    lost,
    options: /** @type {typeof state.options} */ (Object.fromEntries(OPTIONS.map((o) => [o, options.has(o)]))),
    specialTokens: params.get("s") ?? "match",
  };
}

/** Bumped per save: a slow deflate never overwrites a newer address. */
let saveSeq = 0;
/** The last address written, with what it could not carry. */
let saved = { hash: "", missing: [] };

/** Writes the page's view into its address (a long text is deflated first: asynchronous);
 * resolves once written. */
export function saveUrlState() {
  const seq = ++saveSeq;
  return linkOf().then((link) => {
    if (seq !== saveSeq) return;
    saved = link;
    history.replaceState(null, "", `#${link.hash}`);
  });
}

/** The address of the current view and what it cannot carry (sentences for Copy link). */
export async function currentLink() {
  await saveUrlState();
  return { url: location.href, missing: saved.missing };
}

async function linkOf() {
  const params = new URLSearchParams();
  const missing = [];
  params.set("p", state.panes.map((p) => encodeURIComponent(savedForm(p.source))).join(","));
  state.panes.forEach((p, i) => {
    if (p.source?.kind === "file") missing.push(`pane ${i + 1}'s file ${p.source.name} (a link cannot carry a file's bytes: whoever opens it chooses the file again)`);
  });
  const text = state.text;
  // With the u flag, a surrogate matches only when it is not half of a pair.
  if (/[\uD800-\uDFFF]/u.test(text)) missing.push("the text's lone surrogate (a link holds it as U+FFFD)");
  if (text.length <= URL_TEXT_LIMIT) params.set("t", text);
  else {
    const zipped = text.length <= ZIP_TEXT_MAX ? await deflate(text) : null;
    if (zipped !== null && zipped.length <= URL_ZIPPED_LIMIT) params.set("z", zipped);
    else {
      // Characters as the text box counts them (code points).
      const chars = codePointLength(text);
      params.set("n", String(chars));
      missing.push(`the text (${fmt(chars)} characters; a link holds about ${fmt(URL_ZIPPED_LIMIT * 3)} characters of prose)`);
    }
  }
  const on = OPTIONS.filter((o) => state.options[o]);
  if (on.length) params.set("o", on.join(","));
  if (state.specialTokens !== "match") params.set("s", state.specialTokens);
  return { hash: params.toString(), missing };
}

/** The source a saved entry names. A file, or a preset this page does not have, is a
 * "missing" source whose pane says why; null for an empty entry. Needs `state.presets`. */
export function savedSource(entry) {
  const value = decodeURIComponent(entry ?? "");
  if (value === "") return null;
  if (value.startsWith("url:") || value.startsWith("hub:")) {
    return remoteSource(value.slice(4)) ?? missingSource(value, value, `This link names "${value.slice(4)}", which is neither an http(s) URL nor a Hugging Face id: pick a tokenizer.`);
  }
  if (value.startsWith("file:")) {
    const name = value.slice(5);
    return missingSource(value, `File: ${name}`, `This pane held the file ${name}, which a link cannot carry: choose it again ("Choose file…" in the picker, or drop it here).`);
  }
  const preset = state.presets.find((p) => p.id === value);
  if (preset) return presetSource(preset);
  return missingSource(value, value, `This link names the preset "${value}", which this page does not have: pick a tokenizer.`);
}

// ---------- deflate-raw + base64url (CompressionStream: every browser since 2023) ----------

async function deflate(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

async function inflate(b64) {
  const bin = atob(b64.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  // Fatal: a damaged link is said to be damaged, never shown as U+FFFD.
  return new TextDecoder("utf-8", { fatal: true }).decode(await new Response(stream).arrayBuffer());
}
