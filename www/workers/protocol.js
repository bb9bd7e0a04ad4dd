// Every message between the page and its two kinds of worker, defined once. The page side
// (pane-worker.js, render.js, train-panel.js) and the worker side (encode.js, train.js) import
// the type names from here: a misspelt name is an import error when the module loads, where a
// misspelt string would be a message both ends silently ignore. The typedefs below check the
// fields of what each end sends and reads: `npx tsc -p www/jsconfig.json` (the page) and
// `npx tsc -p www/workers/jsconfig.json` (the workers), or any editor that reads jsconfig.json.
//
// Units: offsets are UTF-16 code units of the text (what String.prototype.slice takes); byte
// lengths are UTF-8 bytes. Arrays that are transferred, not copied, are marked "transferred".

// ---------- encode worker (workers/encode.js): one per pane ----------
//
// `seq` numbers come from the page and come back in every answer; the page drops an answer that
// is not for its latest request. A load is numbered by the pane (`loadSeq`, counting its
// tokenizers), an encode by the text box (`seq`, counting its edits) and carries the `loadSeq` of
// the tokenizer it was asked of.

/** Page → encode worker: fetch (or take) a tokenizer.json and build the pane's Tokenizer. */
export const LOAD = "load";
/** Page → encode worker: encode the text, answer with its first window of tokens. */
export const ENCODE = "encode";
/** Page → encode worker: the next window of tokens of the last encoding. */
export const MORE = "more";
/** Page → encode worker: the last encoding whole, as a file (ids, CSV or JSON). */
export const EXPORT = "export";
/** Page → encode worker: a string, an id or ids, looked up in the pane's tokenizer. */
export const LOOKUP = "lookup";
/** Page → encode worker: a question of the superword lab (workers/lab.js). */
export const LAB = "lab";

/** Encode worker → page: download or parse progress of a load. */
export const LOAD_PROGRESS = "progress";
/** Encode worker → page: the tokenizer is built. */
export const LOADED = "loaded";
/** Encode worker → page: the tokenizer could not be fetched or built. */
export const LOAD_ERROR = "load-error";
/** Encode worker → page: whole-text figures and the first window of tokens. */
export const ENCODED = "encoded";
/** Encode worker → page: the answer to an ENCODE naming a tokenizer the worker does not hold
 * (it was replaced, or failed to load): nothing to show. */
export const STALE = "stale";
/** Encode worker → page: the tokenizer threw on this text (it stays loaded). */
export const ENCODE_ERROR = "encode-error";
/** Encode worker → page: the window of tokens asked for by MORE. */
export const WINDOW = "window";
/** Encode worker → page: the text of an EXPORT. */
export const EXPORTED = "exported";
/** Encode worker → page: the answer to a LOOKUP. */
export const LOOKED_UP = "looked-up";
/** Encode worker → page: the answer to a LAB question. */
export const LAB_ANSWER = "lab-answer";
/** Encode worker → page: the wasm package itself could not be loaded; nothing will work. */
export const FATAL = "fatal";

/**
 * @typedef {object} LoadRequest
 * @property {typeof LOAD} type
 * @property {number} seq the pane's load number
 * @property {string} [url] where to fetch the tokenizer.json (a preset, a URL, a hub id's URL)
 * @property {ArrayBuffer} [buffer] or its bytes, read by the page from a file (transferred: the
 *   page sends a copy, keeping its own for a replacement worker)
 */

/**
 * @typedef {object} EncodeRequest
 * @property {typeof ENCODE} type
 * @property {number} seq the text's edit number
 * @property {number} loadSeq the tokenizer the page means; a worker holding another answers
 *   STALE
 * @property {string} text
 * @property {number} limit tokens in the first window
 * @property {boolean} addSpecialTokens the file's post-processor (BOS, [CLS] … [SEP])
 * @property {"match" | "literal" | "refuse"} specialTokens what special-token text in `text` is
 * @property {boolean} [withPieces] also cut the text with the pre-tokenizer, for the overlay
 */

/**
 * @typedef {object} MoreRequest
 * @property {typeof MORE} type
 * @property {number} seq
 * @property {number} loadSeq both as of the encoding being shown; the worker ignores a request
 *   for an encoding it no longer holds
 * @property {number} from index of the window's first token: the tokens shown so far (the next
 *   window), or any token (a jump: the page shows this window instead)
 * @property {number | null} cursor `coveredEnd` of the window before (UTF-16); null for a jump
 * @property {number} limit tokens in the window
 */

/**
 * @typedef {object} ExportRequest
 * @property {typeof EXPORT} type
 * @property {number} id the page's number for this request
 * @property {number} seq
 * @property {number} loadSeq the encoding shown
 * @property {"ids" | "csv" | "json"} format
 */

/**
 * @typedef {object} LookupRequest
 * @property {typeof LOOKUP} type
 * @property {number} id the page's number for this lookup
 * @property {number} loadSeq the tokenizer asked
 * @property {string} query a string, an id, or ids (`[1, 2]`, `1 2`)
 * @property {"match" | "literal" | "refuse"} specialTokens what special-token text in a string is
 */

/**
 * @typedef {object} LabRequest
 * @property {typeof LAB} type
 * @property {number} id the page's number for this question
 * @property {number} seq the text's edit number (questions about the last encoding)
 * @property {number} loadSeq the tokenizer asked
 * @property {"tree" | "vocab" | "superwords" | "scripts" | "cut" | "corpus"} query
 * @property {number} [tokenId] "tree": the token
 * @property {{search: string, minWords: number, sort: string}} [vocab] "vocab": the filter
 * @property {number} [cut] "cut": where the prompt is cut (UTF-16)
 * @property {[number, number]} [marks] "cut": also mark the token boundaries in this range
 * @property {Array<{name: string, text: string}>} [files] "corpus": the texts
 * @property {"match" | "literal" | "refuse"} [specialTokens] "corpus": special-token text
 */

/** @typedef {LoadRequest | EncodeRequest | MoreRequest | ExportRequest | LookupRequest | LabRequest} ToEncodeWorker */

/**
 * @typedef {object} LoadProgress
 * @property {typeof LOAD_PROGRESS} type
 * @property {number} seq
 * @property {"download" | "parse"} phase
 * @property {number} loaded bytes so far
 * @property {number} total bytes in all; 0 while downloading when the server gives no size
 */

/**
 * @typedef {object} Loaded
 * @property {typeof LOADED} type
 * @property {number} seq
 * @property {number} vocabSize
 * @property {number} ms time to build the Tokenizer from the bytes
 * @property {number | null} transitionPoint SuperBPE's transition point: the rank of the first
 *   merge whose token crosses whitespace (`Tokenizer.transitionPoint`), null for none
 */

/**
 * @typedef {object} LoadError
 * @property {typeof LOAD_ERROR} type
 * @property {number} seq
 * @property {string} message
 * @property {number} kept the load number of the tokenizer the worker still holds (-1: none)
 */

/**
 * A window of tokens, ready to draw (`segments.js` `segment`): the fields an ENCODED message
 * starts with and a WINDOW message carries.
 * @typedef {object} TokenWindow
 * @property {number} from index of the first token of the window
 * @property {Array<import("../segments.js").TokenSegment | import("../segments.js").GapSegment>} segments
 *   what to draw, in text order (`segments.js` `segment`)
 * @property {boolean} truncated whether tokens follow this window
 * @property {number} coveredEnd end of the text the window covers (UTF-16)
 * @property {Uint32Array} ids token ids of the window (transferred)
 * @property {string[]} tokens vocab strings
 * @property {string[]} labels each token's bytes as text, a partial UTF-8 character as hex
 * @property {Uint32Array} byteLens each token's length in bytes (transferred)
 * @property {Uint8Array} stages each token's stage: 0 unit (no merge makes it), 1 subword merge,
 *   2 superword merge (rank from the transition point) (transferred)
 * @property {Uint8Array | null} pieceMarks with the pre-tokenizer overlay: bit 0 the parity of the
 *   pre-tokenizer piece holding the token, bit 1 its first token
 */

/**
 * @typedef {object} EncodedFigures
 * @property {typeof ENCODED} type
 * @property {number} seq
 * @property {number} loadSeq
 * @property {number} count tokens in the whole text
 * @property {number} chars code points of the text
 * @property {number} bytes UTF-8 bytes of the text
 * @property {number} words words of the text (`segments.js` `wordCount`)
 * @property {number} ms encode time, token strings included
 * @property {number} superwords superword tokens in the whole text
 * @property {Array<[string, number]>} frequentSuperwords the 10 most frequent, with counts
 * @property {Uint32Array} offsets every token's [start, end) pair, flat (transferred; the page
 *   compares other panes' tokens with the first pane's)
 */

/** @typedef {EncodedFigures & TokenWindow} Encoded */

/**
 * @typedef {object} Stale
 * @property {typeof STALE} type
 * @property {number} seq
 * @property {number} loadSeq
 */

/**
 * @typedef {object} EncodeError
 * @property {typeof ENCODE_ERROR} type
 * @property {number} seq
 * @property {number} loadSeq
 * @property {string} message
 */

/** @typedef {{type: typeof WINDOW, seq: number, loadSeq: number} & TokenWindow} Window */

/**
 * @typedef {object} Exported
 * @property {typeof EXPORTED} type
 * @property {number} id
 * @property {number} seq
 * @property {number} loadSeq
 * @property {"ids" | "csv" | "json"} format
 * @property {string} [text] the ids, as a JSON array (format "ids")
 * @property {Blob} [blob] the token table (formats "csv" and "json")
 * @property {string} [error]
 */

/**
 * @typedef {object} LookedUp
 * @property {typeof LOOKED_UP} type
 * @property {number} id
 * @property {number} loadSeq
 * @property {"text" | "id" | "ids"} [kind]
 * @property {Array<{id: number, token: string, text: string} | null>} [pieces] the tokens (null:
 *   an id the vocab does not have)
 * @property {number[]} [unknown] ids the vocab does not have
 * @property {string} [decoded] the text (a string's own text; ids' decoding)
 * @property {boolean} [superword] one token that crosses spaces
 * @property {string} [error]
 */

/**
 * @typedef {object} Fatal
 * @property {typeof FATAL} type
 * @property {string} message
 */

/**
 * The answer to a LAB question: the question's fields and `error`, or what workers/lab.js
 * returns for it.
 * @typedef {{type: typeof LAB_ANSWER, id: number, loadSeq: number, query: string, error?: string} & Record<string, any>} LabAnswer
 */

/** @typedef {LoadProgress | Loaded | LoadError | Encoded | Stale | EncodeError | Window | Exported | LookedUp | LabAnswer | Fatal} FromEncodeWorker */

// ---------- train worker (workers/train.js): made when the Train panel is first opened ----------
//
// A training goes to that worker, or to a new one if it has trained before (train-panel.js).
//
// One request at a time: the page sends RETRAIN only once the last answer has come, and cancels
// by terminating the worker (wasm cannot be interrupted).

/** Page → train worker: count the corpus, train BPE, then SuperBPE. */
export const TRAIN = "train";
/** Page → train worker: SuperBPE again from the same BPE, with a new t or new filters. */
export const RETRAIN = "retrain";

/** Train worker → page: the corpus is counted. */
export const COUNTED = "counted";
/** Train worker → page: about every 1% of the merges. */
export const TRAIN_PROGRESS = "progress";
/** Train worker → page: a model is trained (BPE, then SuperBPE). */
export const TRAINED = "trained";
/** Train worker → page: the settings, the corpus or the wasm package were refused. */
export const TRAIN_ERROR = "error";

/**
 * What SuperBPE is trained with beyond V (a change retrains it).
 * @typedef {object} SuperwordSettings
 * @property {number} transition t, a vocab size from 1 to V
 * @property {number | null} maxWords superwords of at most this many words (null: no limit)
 * @property {string[]} forbidden substrings no superword may contain, in byte-level chars
 */

/**
 * A pane's tokenizer that SuperBPE's stage 2 starts from instead of a BPE trained here.
 * @typedef {object} ExtendBase
 * @property {string} [url] where to fetch it (a preset, a URL)
 * @property {ArrayBuffer} [buffer] or its bytes (a file)
 * @property {number | null} inherit its first this many merges are kept (null: all)
 * @property {string} label the pane's name for it
 */

/**
 * @typedef {{type: typeof TRAIN, texts: string[], vocabSize: number, stage2Pattern: string | null, extend: ExtendBase | null} & SuperwordSettings} TrainRequest
 * `texts`: the corpus, one text per file (each is read line by line, as the reference reads
 * files); `stage2Pattern`: stage 2's split regex (null: the paper's digit groups); `extend`: stage
 * 2 alone from that tokenizer's merges (`Trainer.extend`), no BPE trained
 */

/** @typedef {{type: typeof RETRAIN} & SuperwordSettings} RetrainRequest */

/** @typedef {TrainRequest | RetrainRequest} ToTrainWorker */

/**
 * @typedef {object} Counted
 * @property {typeof COUNTED} type
 * @property {number} bytes UTF-8 bytes counted
 * @property {number} ms
 */

/**
 * The binding's TrainProgress (pkg/tokenscope.d.ts) and which model it is about.
 * @typedef {object} TrainProgress
 * @property {typeof TRAIN_PROGRESS} type
 * @property {"bpe" | "superbpe"} model
 * @property {"subwords" | "replay" | "superwords"} stage
 * @property {number} merges merges learned so far
 * @property {number} vocabSize vocab size so far, alphabet included
 * @property {number} target vocab size aimed at
 * @property {number} bytesPerToken UTF-8 bytes of the corpus per token under the merges so far
 */

/**
 * @typedef {object} Trained
 * @property {typeof TRAINED} type
 * @property {"bpe" | "superbpe"} model
 * @property {number} [transition] t (SuperBPE only)
 * @property {{label: string, inherit: number | null}} [extended] SuperBPE made by extending a
 *   pane's tokenizer (no BPE was trained)
 * @property {string} json the tokenizer.json
 * @property {number} vocabSize the vocab reached: below V when the corpus ran out of pairs
 * @property {number} mergeCount
 * @property {number} ms
 */

/**
 * @typedef {object} TrainError
 * @property {typeof TRAIN_ERROR} type
 * @property {string} message
 */

/** @typedef {Counted | TrainProgress | Trained | TrainError} FromTrainWorker */

// ---------- chat worker (workers/chat.js): the Chat panel's tokenizer and template ----------

/** Page → chat worker: load a tokenizer with its tokenizer_config.json. */
export const CHAT_LOAD = "chat-load";
/** Page → chat worker: render, encode and count messages. */
export const CHAT_RENDER = "chat-render";
/** Chat worker → page: loaded, with the config's template names. */
export const CHAT_LOADED = "chat-loaded";
/** Chat worker → page: the rendered conversation and its counts. */
export const CHAT_RENDERED = "chat-rendered";
/** Chat worker → page: a load or a render failed (the template's own words where it raises). */
export const CHAT_ERROR = "chat-error";

/**
 * @typedef {object} ChatLoadRequest
 * @property {typeof CHAT_LOAD} type
 * @property {number} seq the panel's load number
 * @property {string} [url] the tokenizer (a preset, a URL, a hub id's URL)
 * @property {ArrayBuffer} [buffer] or its bytes
 * @property {string} config where its tokenizer_config.json is
 */

/**
 * @typedef {object} ChatRenderRequest
 * @property {typeof CHAT_RENDER} type
 * @property {number} seq the load it is for
 * @property {number} renderSeq the panel's render number
 * @property {Array<{role: string, content: string}>} messages
 * @property {boolean} addGenerationPrompt
 */

/** @typedef {ChatLoadRequest | ChatRenderRequest} ToChatWorker */

/**
 * @typedef {object} ChatLoaded
 * @property {typeof CHAT_LOADED} type
 * @property {number} seq
 * @property {string[]} templates
 */

/**
 * @typedef {object} ChatRendered
 * @property {typeof CHAT_RENDERED} type
 * @property {number} seq
 * @property {number} renderSeq
 * @property {string} text the conversation as the template renders it
 * @property {number} total its tokens
 * @property {Array<number | null>} perMessage what each message adds (null: the template refuses
 *   the conversation cut after it)
 * @property {number | null} generationPrompt what the generation prompt adds
 * @property {Array<[number, number]>} specials spans of the special tokens in `text` (UTF-16)
 */

/**
 * @typedef {object} ChatError
 * @property {typeof CHAT_ERROR} type
 * @property {number} seq
 * @property {number} [renderSeq] absent for a load
 * @property {string} message
 */

/** @typedef {ChatLoaded | ChatRendered | ChatError} FromChatWorker */
