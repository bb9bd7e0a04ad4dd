// The helpers every page module uses: elements by their data-role, numbers as shown, text with
// its whitespace drawn, and disclosure buttons.

import { whitespaceRuns } from "./segments.js";

/** The element of `root` with `data-role="role"` (the page's elements are found by role, not by
 * id or class, so that styling and behaviour can change apart). */
export const $ = (root, role) => root.querySelector(`[data-role="${role}"]`);

const NUMBER = new Intl.NumberFormat("en-US");
/** A number with thousands separators (`12,345`). */
export const fmt = (n) => NUMBER.format(n);

// Glyph drawn for each whitespace run (style.css puts it in ::before and shrinks spaces, CRs and
// other blanks to zero width); the real characters stay in the DOM, so textContent is the text.
const GLYPH = { space: "·", tab: "→", newline: "↵", cr: "␍", other: "⍽" };

/** Appends `str` to `parent` as text; with `showWhitespace`, each whitespace run in a span that
 * style.css draws as a glyph (the text content stays `str`). */
export function appendText(parent, str, showWhitespace) {
  if (!showWhitespace) {
    if (str) parent.append(str);
    return;
  }
  for (const run of whitespaceRuns(str)) {
    if (run.ws === null) {
      parent.append(run.text);
      continue;
    }
    const ws = document.createElement("span");
    ws.className = `ws ws-${run.ws}`;
    ws.setAttribute("data-g", run.ws === "space" ? GLYPH.space.repeat(run.text.length) : GLYPH[run.ws]);
    ws.textContent = run.text;
    parent.append(ws);
  }
}

/**
 * A disclosure: `button` (aria-expanded, aria-controls) shows and hides `body`. A plain button
 * and a hidden element, not <details>: while a document holds any <details> element, Chromium
 * replaces a textarea's selection about 7× slower (select all, then paste 3 MB: one task of
 * 12.9 s with a <details> in the page, 1.8 s without, on 2 cores; tests/browser/ux.test.mjs).
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} body
 * @param {(open: boolean) => void} [onToggle]
 */
export function disclosure(button, body, onToggle) {
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    body.hidden = !open;
    onToggle?.(open);
  });
}
