// Compiled with `tsc --noEmit` by tests/js/types.test.mjs: the published types describe the API.
import init, { Tokenizer, TokenizerWorker, type Encoding, type TextPart, type TextStream } from "tokenscope";
import initTrain, { Trainer, TrainedModel, type TrainProgress } from "tokenscope/train";
import initFull, { Tokenizer as FullTokenizer } from "tokenscope/full";
import initChat, { Tokenizer as ChatTokenizer, type ChatMessage, type ChatEncoding, type ChatCount } from "tokenscope/chat";

export async function full(json: string): Promise<number> {
  await initFull();
  const tok: FullTokenizer = FullTokenizer.fromJSON(json);
  return tok.count("any file: BERT, T5, Qwen") + tok.encodeIds("x").length;
}

export async function example(json: Uint8Array): Promise<number> {
  await init();
  const tok: Tokenizer = Tokenizer.fromJSON(json);
  const enc: Encoding = tok.encode("By the way", { addSpecialTokens: false });
  const ids: Uint32Array = enc.ids;
  const sameIds: Uint32Array = tok.encodeIds("By the way", { addSpecialTokens: false });
  const tokens: string[] = enc.tokens;
  const first: string = "By the way".slice(enc.offsets[0], enc.offsets[1]);
  const id: number | undefined = tok.tokenToId("Ġa");
  const token: string | undefined = tok.idToToken(244);
  const bytes: Uint8Array | undefined = tok.tokenBytes(244);
  const text: string = tok.decode(ids, { skipSpecialTokens: true }) + tok.decode([1, 2]);
  tok.noTruncation();
  tok.noPadding();
  const pair: Encoding = tok.encode("question", { pair: "context", addSpecialTokens: true });
  const typeIds: Uint32Array = pair.typeIds;
  const masks: Uint8Array[] = [pair.attentionMask, pair.specialTokensMask];
  const sequences: Int8Array = pair.sequenceIds;
  tok.free();
  return tok.count(text, { pair: "x" }) + sameIds.length + typeIds.length + masks.length + sequences.length + tokens.length + first.length + (id ?? 0) + (token?.length ?? 0) + (bytes?.length ?? 0) + tok.vocabSize;
}

export async function training(corpus: string): Promise<string> {
  await initTrain();
  const trainer = new Trainer();
  trainer.feed(corpus);
  const seen: number[] = [];
  const bpe: TrainedModel = trainer.trainBpe({ vocabSize: 1000 }, (p: TrainProgress) => {
    seen.push(p.merges, p.vocabSize, p.target, p.bytesPerToken);
    return p.stage !== "superwords";
  });
  const superbpe = trainer.trainSuperBpe(bpe, { vocabSize: 1200, transition: 900, maxWords: null, forbiddenSubstrings: [":Ġ"], minFrequency: 2 }, () => {});
  const n: number = superbpe.vocabSize + superbpe.mergeCount + trainer.bytes + seen.length;
  return superbpe.isSuperBpe ? superbpe.tokenizerJSON() + superbpe.vocabJSON() + superbpe.mergesTxt() + n : "";
}

export function budgets(tok: Tokenizer, userText: string): string {
  const enc: Encoding = tok.encode(userText, { specialTokens: "literal" });
  const n: number = tok.count(userText, { specialTokens: "refuse", addSpecialTokens: true }) + enc.ids.length;
  const upTo: number = tok.countUpTo(userText, 4096, { specialTokens: "literal" });
  const within: number | false = tok.isWithinTokenLimit(userText, 4096);
  const cut: TextPart = tok.truncate(userText, 100, { side: "start" });
  const parts: TextPart[] = tok.chunk(userText, { maxTokens: 512, overlap: 64 });
  const stream: TextStream = tok.decodeStream({ skipSpecialTokens: true });
  const piece: string | undefined = stream.step(enc.ids[0]) ?? stream.step([1, 2]) ?? stream.step(enc.ids);
  return `${n} ${upTo} ${within} ${cut.text}${cut.start}${cut.end}${cut.count} ${parts.length} ${piece ?? ""}`;
}

export async function chat(tokenizerJson: string, config: string): Promise<number> {
  await initChat();
  const tok: ChatTokenizer = ChatTokenizer.fromJSON(tokenizerJson, { config });
  const messages: ChatMessage[] = [{ role: "system", content: "Be brief." }, { role: "user", content: [{ type: "text", text: "Hi" }] }];
  const text: string = tok.applyChatTemplate(messages, { addGenerationPrompt: true, enable_thinking: false });
  const enc: ChatEncoding = tok.encodeChat(messages, { specialTokens: "literal", tools: [{ type: "function" }], now: new Date() });
  const count: ChatCount = tok.countChat(messages, { templateName: tok.chatTemplates[0] });
  const first: number | null = count.perMessage[0];
  return text.length + enc.ids.length + enc.text.length + count.total + (first ?? 0) + (count.generationPrompt ?? 0);
}

export async function offMainThread(json: Uint8Array): Promise<number> {
  const worker: TokenizerWorker = await TokenizerWorker.fromJSON(json);
  const enc: Encoding = await worker.encode("By the way", { specialTokens: "literal" });
  const n: number = await worker.count("x");
  const within: number | false = await worker.isWithinTokenLimit("x", 10);
  const piece: string | undefined = await worker.decodeStream().step(enc.ids);
  worker.terminate();
  return enc.ids.length + n + (within || 0) + (piece?.length ?? 0) + worker.vocabSize;
}
