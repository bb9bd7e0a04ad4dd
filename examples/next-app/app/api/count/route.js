// Counts tokens on the server: POST the text, get `{ count, ids }`. The package's Node entry reads
// its wasm next to itself; the compiled tokenizer is read from public/ once.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Tokenizer } from "tokenscope";

let tokenizer;

export async function POST(request) {
  tokenizer ??= Tokenizer.fromBytes(readFileSync(path.join(process.cwd(), "public", "tokenizer.tks")));
  const text = await request.text();
  return Response.json({ count: tokenizer.count(text), ids: [...tokenizer.encodeIds(text)] });
}
