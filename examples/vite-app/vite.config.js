// main.js awaits `init()` at the top level, which needs ES2022. Vite finds the package's wasm
// through its `new URL("tokenscope_bg.wasm", import.meta.url)` and emits it as an asset.
import { defineConfig } from "vite";

export default defineConfig({
  build: { target: "es2022" },
  // Pre-bundling would move the package away from its .wasm file in `vite dev`.
  optimizeDeps: { exclude: ["tokenscope", "tokenscope/chat"] },
});
