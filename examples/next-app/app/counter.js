"use client";
// Counts tokens in the browser: the package's browser entry fetches its wasm (emitted by Next's
// bundler from `new URL(…, import.meta.url)`, no plugin), the compiled tokenizer comes from public/.
import { useEffect, useState } from "react";
import init, { Tokenizer } from "tokenscope";

export default function Counter() {
  const [tokenizer, setTokenizer] = useState(null);
  const [error, setError] = useState(null);
  const [text, setText] = useState("");
  useEffect(() => {
    (async () => {
      await init();
      const bytes = await (await fetch("/tokenizer.tks")).arrayBuffer();
      setTokenizer(Tokenizer.fromBytes(bytes));
    })().catch((e) => setError(String(e)));
  }, []);
  const ids = tokenizer ? tokenizer.encodeIds(text) : null;
  return (
    <section>
      <textarea data-role="text" rows={6} cols={60} value={text} onChange={(e) => setText(e.target.value)} />
      <p data-role="status">{error ?? (tokenizer ? "ready" : "loading")}</p>
      <p>
        <span data-role="count">{ids ? ids.length : ""}</span> tokens
      </p>
      <p data-role="ids">{ids ? [...ids].join(",") : ""}</p>
    </section>
  );
}
