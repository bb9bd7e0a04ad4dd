// Compiles a tokenizer.json into public/tokenizer.tks, the form the app loads:
//   node compile-tokenizer.mjs path/to/tokenizer.json
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { compile } from "tokenscope/train";

const [file] = process.argv.slice(2);
if (!file) throw new Error("usage: node compile-tokenizer.mjs path/to/tokenizer.json");
mkdirSync("public", { recursive: true });
writeFileSync("public/tokenizer.tks", compile(readFileSync(file)));
