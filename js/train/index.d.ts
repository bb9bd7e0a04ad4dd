// Types of the `tokenscope/train` entry: the trainer alone (its wasm also holds a Tokenizer,
// which this entry does not export: use `tokenscope` for encoding).
export { Trainer, TrainedModel, initSync } from "./tokenscope_train.js";
export type { TrainOptions, TrainProgress, InitInput, InitOutput, SyncInitInput } from "./tokenscope_train.js";
export { default, default as init } from "./tokenscope_train.js";
