// Shared by the browser entries (`tokenscope`, `tokenscope/train`): a call before `await init()`
// must throw an Error that says so, not fail inside the generated glue with "Cannot read
// properties of undefined".

/**
 * A check that throws `Error(message)` while the entry's wasm is not instantiated.
 * @param {Function} initSync the entry's wasm-bindgen `initSync`: before `init()` it has no module
 *   to compile and throws; after, it returns the instance at once
 * @param {string} message what to do instead
 * @returns {() => void}
 */
export function initGuard(initSync, message) {
  return () => {
    try {
      initSync();
    } catch {
      throw new Error(message);
    }
  };
}
