// Where a pane's tokenizer comes from: a preset of the server, a URL or Hugging Face id, or bytes
// (a chosen or dropped file, or a tokenizer trained in the Train panel).

/**
 * @typedef {object} Source
 * @property {"preset" | "remote" | "file" | "missing"} kind "missing": a link's entry that names
 *   nothing this page can load (a file, an unknown preset): never loaded, kept in the link
 * @property {string} label shown in the picker, the status and the comparisons
 * @property {string} [id] preset id
 * @property {string} [url] preset or remote: what the worker fetches
 * @property {string} [saved] remote: its entry in the page's URL, `url:<url>` or `hub:<id>`
 * @property {string} [name] file: its name
 * @property {ArrayBuffer} [buffer] file: its bytes, kept to load them into a replacement worker
 * @property {boolean} [trained] file: made by the Train panel (the picker shows its label)
 * @property {string} [why] missing: what the pane says instead of tokens
 * @property {string} [config] preset or remote: where its tokenizer_config.json is (chat templates)
 */

/** Where a Hugging Face id is fetched from: `{HUB}/{id}/resolve/main/tokenizer.json`. The page's
 * `?hub=` parameter overrides it (tests point it at a local server with the same layout). */
const HUB = new URLSearchParams(location.search).get("hub") ?? "https://huggingface.co";
/** A Hugging Face model id: `name` or `owner/name`. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

/** @returns {Source} */
export function presetSource(preset) {
  /** @type {Source} */
  const src = { kind: "preset", id: preset.id, label: preset.label, url: new URL(preset.url, document.baseURI).href };
  if (preset.config) src.config = new URL(preset.config, document.baseURI).href;
  return src;
}

/** A link's entry that cannot be loaded: `why` is shown in its pane. @returns {Source} */
export function missingSource(saved, label, why) {
  return { kind: "missing", saved, label, why };
}

/** @returns {Source} */
export function fileSource(name, buffer) {
  return { kind: "file", name, label: name, buffer };
}

/** The source for a URL (http/https) or a hub id, or null. @returns {Source | null} */
export function remoteSource(value) {
  if (/^https?:\/\//i.test(value)) {
    let url;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    return { kind: "remote", url: url.href, label: urlLabel(url), saved: `url:${url.href}` };
  }
  if (HUB_ID.test(value)) {
    const base = `${HUB}/${value}/resolve/main`;
    return { kind: "remote", url: `${base}/tokenizer.json`, config: `${base}/tokenizer_config.json`, label: value, saved: `hub:${value}` };
  }
  return null;
}

/** A short name for a tokenizer URL: the model id of a hub-style `…/{id}/resolve/{rev}/tokenizer.json`,
 * else the host and the file name. */
function urlLabel(url) {
  const hub = /^\/(.+?)\/resolve\/[^/]+\/tokenizer\.json$/.exec(url.pathname);
  if (hub) return decodeURIComponent(hub[1]);
  const file = url.pathname.split("/").filter(Boolean).pop();
  return file ? `${url.host}/…/${decodeURIComponent(file)}` : url.host;
}

/** How the source is named in the page's URL: `file:<name>` for bytes, which a link cannot carry
 * (the pane opened from the link says so and asks for the file). */
export function savedForm(source) {
  if (source?.kind === "preset") return source.id;
  if (source?.kind === "remote" || source?.kind === "missing") return source.saved;
  if (source?.kind === "file") return `file:${source.name}`;
  return "";
}

/** The pane's `data-tokenizer` attribute: the saved form, or `file:<name>` for bytes. */
export function sourceKey(source) {
  return savedForm(source);
}
