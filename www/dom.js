// The helpers every page module uses: elements by their data-role, numbers as shown, text with
// its whitespace drawn, and disclosure buttons.

import { whitespaceRuns } from "./segments.js";

/** The element of `root` with `data-role="role"` (the page's elements are found by role, not by
 * id or class, so that styling and behaviour can change apart). */
export const $ = (root, role) => root.querySelector(`[data-role="${role}"]`);

const NUMBER = new Intl.NumberFormat("en-US");
/** A number with thousands separators (`12,345`). */
export const fmt = (n) => NUMBER.format(n);

/** Characters a quoted token shows as escapes: invisible or easily taken for a space (no-break
 * and other spaces, zero-width characters, joiners, direction marks, the byte-order mark). */
const INVISIBLE = /[\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff]/g;

/** A token's text in double quotes, as JSON writes it (control characters escaped), with the
 * invisible characters escaped too: `" \u200b"`. Shown with `white-space: pre-wrap`, so runs of
 * spaces stay as typed. */
export function quote(text) {
  return JSON.stringify(text).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

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
