// The page's shared state: the text, its edit number and the panes. One object, imported by the
// modules that read it; only main.js, panes.js and pane-worker.js write it.

/** Tokens per window: a pane first shows this many, and the next window when its end is
 * scrolled to (the stats cover the whole text). Small enough that receiving and drawing a window
 * never holds the main thread for long. */
export const RENDER_LIMIT = 5_000;
export const MIN_PANES = 2;
export const MAX_PANES = 4;
export const INFO_HINT = "Hover a token, or focus the tokens and use the arrow keys, to see its id, bytes and vocab string.";

export const state = {
  text: "",
  /** Bumped on every edit; a result is shown only if it was computed for the current value. */
  textSeq: 0,
  /** Timer of the pending edit (null once its encodes are sent). */
  debounce: null,
  /** The preset tokenizers of presets.json, in picker order. */
  presets: [],
  /** The panes, in page order: the first is the baseline the others are compared with. */
  panes: [],
  /** The page's toggles (kept in the address): whitespace glyphs, the ids view, differences
   * only, add special tokens (a file's post-processor: BOS, [CLS] … [SEP]), and the superword
   * lab's colour by stage, pre-tokenizer pieces and prompt-cut marks. */
  options: { ws: false, ids: false, diff: false, special: false, stage: false, pieces: false, cuts: false },
  /** What special-token text typed in the text box is (the API's `specialTokens`): "match"
   * (the special token, the reference's default), "literal" (plain text) or "refuse". */
  /** @type {"match" | "literal" | "refuse"} */
  specialTokens: "match",
};

/** Whether a worker message (or a request) is for the current text and the pane's current
 * tokenizer. */
export function isCurrent(pane, msg) {
  return msg.seq === state.textSeq && msg.loadSeq === pane.loadSeq;
}
