// How a worker loads the wasm package: import the entry, then instantiate its wasm (the entry's
// default export fetches `tokenscope_bg.wasm` next to it). Each worker names its own entry, so
// the train worker loads the training entry (pkg/train/browser.js) and the encode workers the full one (pkg/full/browser.js: the page loads any file).

/**
 * Imports a package entry and instantiates its wasm. Call it once, at the top of the worker:
 * the download and compile then overlap with whatever the page does before its first request.
 * @param {URL} entry the entry module, such as `new URL("../pkg/full/browser.js", import.meta.url)`
 * @returns {Promise<object>} the entry's exports; rejects with an Error naming the entry
 */
export function loadPackage(entry) {
  const ready = (async () => {
    try {
      const mod = await import(entry.href);
      await mod.default();
      return mod;
    } catch (err) {
      throw new Error(`could not load the WebAssembly package (${entry.pathname}): ${messageOf(err)}`);
    }
  })();
  // Reported by the first request that awaits it; keep the rejection from also surfacing as
  // "uncaught" before then.
  ready.catch(() => {});
  return ready;
}

/** The message of a thrown value (an Error or anything else). */
export function messageOf(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}
