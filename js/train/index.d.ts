// Types of the `tokenscope/train` entry: the trainer alone (encoding is the `tokenscope` entry).
export { Trainer, TrainedModel, compile, decompile, initSync } from "./tokenscope_train.js";
export type { TrainOptions, TrainProgress, InitInput, InitOutput, SyncInitInput } from "./tokenscope_train.js";
export { default, default as init } from "./tokenscope_train.js";
