//! The superword lab's analyses for JavaScript (feature `lab`: the package's full and chat
//! entries): `transitionPoint`, `mergeTree`, `mergeRanks` and `preTokenize` on `Tokenizer`.

use super::tokenizer::{special_tokens_option, WasmTokenizer};
use super::{check_options, error, text_of};
use crate::text::utf16::Utf16Cursor;
use js_sys::{Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** One node of a `MergeTree`: a unit of the token's text, or the merge of two earlier nodes. */
export interface MergeNode {
  /** Token id. */
  id: number;
  /** Token string as the vocab spells it. */
  token: string;
  /** Rank (index in `merges`) of the merge that made it; `null` for a unit. */
  rank: number | null;
  /** Indices in `nodes` of the two nodes merged; `null` for a unit. */
  left: number | null;
  right: number | null;
}
/** How a BPE token is built from its bytes (`Tokenizer.mergeTree`). */
export interface MergeTree {
  /** The units (bytes or chars, in text order), then each merge in the order it applied. */
  nodes: MergeNode[];
  /** Indices of the nodes left when no merge applies: one (the token) unless the merges never build it. */
  roots: number[];
}
/** Options of `Tokenizer.preTokenize`. */
export interface PreTokenizeOptions {
  /** How added special tokens in the text are treated: "match" (default), "literal" or "refuse". */
  specialTokens?: "match" | "literal" | "refuse";
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `{ specialTokens?: string }`, declared in the TypeScript section above.
    #[wasm_bindgen(typescript_type = "PreTokenizeOptions")]
    pub type JsPreTokenizeOptions;
}

#[wasm_bindgen(js_class = Tokenizer)]
impl WasmTokenizer {
    /// SuperBPE's transition point: the rank of the first merge whose result crosses whitespace
    /// where the file's pre-tokenizer would cut, or `null` when none does (no superwords) or the
    /// model is not BPE. Merges below it are the subword stage, from it the superword stage.
    /// Computed on each read (tens of ms for a 200k vocab): keep the value.
    #[wasm_bindgen(getter, js_name = transitionPoint, unchecked_return_type = "number | null")]
    pub fn transition_point(&self) -> JsValue {
        self.inner.transition_point().map_or(JsValue::NULL, JsValue::from)
    }

    /// How token `id` is built: its units (bytes of a byte-level BPE, chars otherwise) and each
    /// merge the reference's merge loop applies to them, in order, with its rank. `undefined`
    /// when the model is not BPE or `id` is not a vocab token. Throws if `id` is not a
    /// non-negative integer.
    #[wasm_bindgen(js_name = mergeTree, unchecked_return_type = "MergeTree | undefined")]
    pub fn merge_tree(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> Result<JsValue, JsError> {
        let Some(tree) = self.inner.merge_tree(super::tokenizer::id_of(&id)?) else { return Ok(JsValue::UNDEFINED) };
        let set = |o: &Object, key: &str, value: JsValue| Reflect::set(o, &JsValue::from_str(key), &value).map_err(|_| error("cannot build the merge tree"));
        let nodes = Array::new();
        for n in &tree.nodes {
            let node = Object::new();
            set(&node, "id", n.id.into())?;
            set(&node, "token", self.inner.id_to_token(n.id).unwrap_or_default().into())?;
            set(&node, "rank", n.rank.map_or(JsValue::NULL, JsValue::from))?;
            set(&node, "left", n.children.map_or(JsValue::NULL, |c| (c.0 as u32).into()))?;
            set(&node, "right", n.children.map_or(JsValue::NULL, |c| (c.1 as u32).into()))?;
            nodes.push(&node);
        }
        let result = Object::new();
        set(&result, "nodes", nodes.into())?;
        set(&result, "roots", tree.roots.iter().map(|&r| JsValue::from(r as u32)).collect::<Array>().into())?;
        Ok(result.into())
    }

    /// For each id up to the vocab's largest, the lowest rank of a merge whose result it is,
    /// `0xFFFFFFFF` for none (a unit, an added token): with `transitionPoint`, the stage that
    /// made a token. Empty unless the model is BPE. One array for the whole vocab (4 bytes an id).
    #[wasm_bindgen(js_name = mergeRanks)]
    pub fn merge_ranks(&self) -> Uint32Array {
        Uint32Array::from(self.inner.merge_ranks().as_slice())
    }

    /// The pieces the model is given for `text`, as flat `[start0, end0, start1, end1, ...]` in
    /// UTF-16 code units of `text`: each added token is a piece, the text between them normalized
    /// and cut by the pre-tokenizer (the reference's `pre_tokenize_str` of the normalized text,
    /// offsets mapped back). Throws on a lone surrogate, or on a special token under
    /// `specialTokens: "refuse"`.
    #[wasm_bindgen(js_name = preTokenize)]
    pub fn pre_tokenize(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        options: Option<JsPreTokenizeOptions>,
    ) -> Result<Uint32Array, JsError> {
        check_options(options.as_deref(), &["specialTokens"])?;
        let special = special_tokens_option(options.as_deref())?;
        let text = text_of(&text, "text")?;
        let pieces = self.inner.pre_tokenize(&text, special).map_err(|e| super::tokenizer::encode_error(e, &[&text]))?;
        let mut cursor = Utf16Cursor::new(&text);
        let flat: Vec<u32> = pieces.iter().flat_map(|&(s, e)| [cursor.utf16_at(s) as u32, cursor.utf16_at(e) as u32]).collect();
        Ok(Uint32Array::from(flat.as_slice()))
    }
}
