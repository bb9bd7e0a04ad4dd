// The wasm package as the workers load it (www/worker.js, www/train-worker.js): imported and
// initialised once per worker, on first import of this module.

export const PKG_URL = new URL("./pkg/browser.js", import.meta.url);

export const wasmReady = (async () => {
  const mod = await import(PKG_URL.href);
  await mod.default();
  return mod;
})();
// Reported by the first use; keep the rejection from also surfacing as "uncaught".
wasmReady.catch(() => {});

/** The message of a thrown value (an Error or anything else). */
export function messageOf(err) {
  if (err instanceof Error) return err.message || String(err);
  return String(err);
}
