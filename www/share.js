// Copy link: the page's address (url-state.js keeps the view in it) to the clipboard, and what
// it cannot carry said beside the button; a link whose text did not fit says so when opened.

import { $ } from "./dom.js";
import { currentLink } from "./url-state.js";

/** @param {string | null} lost what the link this page was opened from could not carry */
export function setupShare(lost) {
  const button = $(document, "copy-link");
  const status = $(document, "share-status");
  if (lost) status.textContent = `Note: ${lost}.`;
  button.addEventListener("click", async () => {
    const { url, missing } = await currentLink();
    let copied = true;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      copied = false; // an http page, or permission refused: the address bar holds it too
    }
    const head = copied ? "Link copied." : "The clipboard is not available here: copy the address bar.";
    status.textContent = missing.length ? `${head} Not in it: ${missing.join("; ")}.` : `${head} It opens this view: panes, text and options.`;
  });
}
