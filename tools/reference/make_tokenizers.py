#!/usr/bin/env python3
"""Write the small tokenizer.json files in tests/fixtures/tokenizers/ with the reference library
itself.

No registry package ships some components (CTC, FixedLength, UnicodeScripts, Precompiled with a
readable rule set, WordLevel, BertProcessing, truncation and padding saved in the file, ...), so
this script builds files that use them, trained with PyPI `tokenizers` 0.23.3 trainers (and, for the
two Unigram files, PyPI `sentencepiece`) on the repo's own texts, tests/fixtures/golden/texts.json.
The files are committed; tools/reference/gen_golden.py then computes their golden vectors like for
any other tokenizer file (source label `repo:tests/fixtures/tokenizers/<file>.json`).

Setup (once; any venv with these three packages):

    python3 -m venv /tmp/data-venv
    /tmp/data-venv/bin/pip install tokenizers==0.23.3 sentencepiece protobuf

Run from anywhere (paths are resolved relative to the repo root), then regenerate the goldens:

    /tmp/data-venv/bin/python tools/reference/make_tokenizers.py
    .venv/bin/python tools/reference/gen_golden.py

(texts.json is written by gen_golden.py: after changing the texts, run gen_golden.py, then this
script, then gen_golden.py again. This script imports PAIRS and WITH_SPECIAL from gen_golden.py.)

Each file is named by what it exercises and combines components the way real model files do
(GPT-2/RoBERTa, Llama 3/Qwen, BERT, T5, Llama/Mistral SentencePiece, wav2vec2 CTC, ...); see
FILES below for the list. Components that only act at inference (post-processors, decoders,
added tokens, truncation, padding) are set after training. The script ends by checking that the
files together use every component and option listed in REQUIRED_FEATURES, and that no test
input (single texts and the pairs of gen_golden.PAIRS) makes the reference raise (truncation
errors) - the golden format has no place for errors.

Deterministic: the same inputs give byte-identical files; run it twice and compare to check.
The trainers break some ties in hash-map order, so the script avoids what triggers that:
`limit_alphabet` is replaced by deleting rare characters from the corpus (common_chars_only),
and with a continuing-subword prefix or end-of-word suffix the affixed single characters are
given ids up front (affixed_alphabet). SentencePiece runs with one thread and a fixed seed.
"""

import io
import json
import os
import sys
import tempfile
import unicodedata

# Before importing tokenizers: train single-threaded, one less source of ordering differences.
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"

import tokenizers  # noqa: E402
from tokenizers import AddedToken, Regex, Tokenizer  # noqa: E402
from tokenizers import decoders, models, normalizers, pre_tokenizers, processors, trainers  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(REPO, "tests", "fixtures", "tokenizers")
TEXTS = os.path.join(REPO, "tests", "fixtures", "golden", "texts.json")
MAX_FILE_BYTES = 300_000

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_golden import PAIRS, WITH_SPECIAL  # noqa: E402


def load_texts():
    with open(TEXTS, encoding="utf-8") as f:
        return [(t["name"], t["text"]) for t in json.load(f)["texts"]]


TEXT_LIST = load_texts()
TEXT_BY_NAME = dict(TEXT_LIST)
# Training corpus: every test text, in file order (the 100 KiB line included: its words then
# become whole tokens, which keeps its golden vectors small).
CORPUS = [t for _, t in TEXT_LIST]
# Line-based corpus for SentencePiece, which skips sentences longer than 4192 bytes: the long
# line is cut into 2000-character pieces.
SPM_LINES = [line[i:i + 2000] for t in CORPUS for line in t.split("\n") if line.strip()
             for i in range(0, len(line), 2000)]

# Special-token strings that occur in the texts (special_endoftext, special_chatml,
# added_nonspecial), used as added tokens so the golden cases exercise the added-token split.
ENDOFTEXT = "<|endoftext|>"


def bpe_trainer(vocab_size, specials, **kw):
    return trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials, show_progress=False, **kw)


def common_chars_only(keep):
    """CORPUS without its rarer characters: the `keep` most frequent non-whitespace characters
    (ties broken by code point) and all whitespace stay, the others are deleted.

    Stands in for the trainers' `limit_alphabet`, which breaks ties between equally frequent
    characters in hash-map order and so gives a different vocabulary on each run. Characters left
    out become unknown (or byte-fallback) tokens at inference, which is the point.
    """
    counts = {}
    for t in CORPUS:
        for c in t:
            counts[c] = counts.get(c, 0) + 1
    ranked = sorted((c for c in counts if not c.isspace()), key=lambda c: (-counts[c], ord(c)))
    kept = set(ranked[:keep])
    return ["".join(c for c in t if c in kept or c.isspace()) for t in CORPUS]


def affixed_alphabet(tok, corpus, prefix="", suffix=""):
    """prefix + c + suffix for every non-whitespace character c of the normalized corpus, sorted.

    Passed to a trainer as special tokens (then turned back into plain vocabulary entries by
    drop_added), so that the trainer does not give these ids in hash-map order: with a
    continuing-subword prefix or end-of-word suffix it otherwise creates them while iterating a
    hash map, and ties between merges depend on those ids.
    """
    norm = tok.normalizer.normalize_str if tok.normalizer else (lambda t: t)
    chars = sorted({c for t in corpus for c in norm(t) if not c.isspace()})
    return [prefix + c + suffix for c in chars]


def drop_added(tok, contents):
    """The same tokenizer without the given added tokens (they stay in the model vocabulary)."""
    contents = set(contents)
    d = json.loads(tok.to_str())
    d["added_tokens"] = [a for a in d["added_tokens"] if a["content"] not in contents]
    return Tokenizer.from_str(json.dumps(d, ensure_ascii=False))


def template(tok, single, pair, specials):
    """TemplateProcessing with the ids looked up in `tok`."""
    return processors.TemplateProcessing(
        single=single, pair=pair, special_tokens=[(s, tok.token_to_id(s)) for s in specials])


# --------------------------------------------------------------------------------------------
# SentencePiece helpers (Unigram files)
# --------------------------------------------------------------------------------------------

def nfkc_rules():
    """A small SentencePiece normalization rule set (TSV) in the spirit of `nmt_nfkc`.

    Only for what occurs in the texts, so the compiled charsmap stays a few KB instead of the
    ~240 KB of the built-in one: every character whose NFKC form differs, every base character
    followed by combining marks whose NFKC form differs (composition, e.g. e + U+0301 -> é),
    Hangul jamo sequences (composed to syllables), and a few whitespace/format characters mapped
    to a space as nmt_nfkc does.
    """
    rules = {}

    def add(src, dst):
        if src != dst and dst:
            rules[src] = dst

    for text in CORPUS:
        for ch in text:
            add(ch, unicodedata.normalize("NFKC", ch))
        i = 0
        while i < len(text):
            j = i + 1
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            if j - i > 1:
                add(text[i:j], unicodedata.normalize("NFKC", text[i:j]))
            i = j
        for k in range(len(text) - 1):
            if "\u1100" <= text[k] <= "\u1112" and "\u1161" <= text[k + 1] <= "\u1175":
                end = k + 3 if k + 2 < len(text) and "\u11a8" <= text[k + 2] <= "\u11c2" else k + 2
                add(text[k:end], unicodedata.normalize("NFKC", text[k:end]))
    for ws in ["\u2028", "\u0085", "\u200b", "\t"]:
        rules[ws] = " "
    lines = []
    for src in sorted(rules):
        hex_cps = lambda s: " ".join(f"{ord(c):X}" for c in s)  # noqa: E731
        lines.append(f"{hex_cps(src)}\t{hex_cps(rules[src])}\t# {src!r} -> {rules[src]!r}")
    return "\n".join(lines) + "\n"


def train_spm(**kw):
    """Train a SentencePiece Unigram model in memory; returns the parsed ModelProto."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    spm.set_random_generator_seed(20240531)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SPM_LINES), model_writer=buf, model_type="unigram",
        num_threads=1, shuffle_input_sentence=False,
        hard_vocab_limit=False, minloglevel=2, **kw)
    m = pb.ModelProto()
    m.ParseFromString(buf.getvalue())
    return m


def unigram_from_spm(m):
    """The Unigram model of a SentencePiece ModelProto (what from_spm/transformers do)."""
    vocab = [(p.piece, p.score) for p in m.pieces]
    return models.Unigram(vocab, m.trainer_spec.unk_id, m.trainer_spec.byte_fallback)


# --------------------------------------------------------------------------------------------
# The files
# --------------------------------------------------------------------------------------------

def bpe_bytelevel_roberta():
    """RoBERTa/GPT-2 style: ByteLevel(add_prefix_space) BPE, RobertaProcessing, <mask> lstrip."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True)
    tok.train_from_iterator(CORPUS, bpe_trainer(
        1200, ["<s>", "<pad>", "</s>", "<unk>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.add_special_tokens([
        AddedToken("<mask>", lstrip=True, special=True, normalized=False),
        # Occurs in the texts with and without spaces around it.
        AddedToken(ENDOFTEXT, lstrip=True, rstrip=True, special=True, normalized=False),
    ])
    tok.post_processor = processors.RobertaProcessing(
        ("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")), trim_offsets=True, add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    tok.enable_truncation(512)  # roberta-base's model_max_length
    return tok


QWEN_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def bpe_nfc_digits_split_bytelevel_padleft():
    """Qwen/Llama 3 style: NFC, Digits + Split(regex, Isolated) + ByteLevel(use_regex=false),
    BPE ignore_merges, ByteLevel + Template post-processing, left padding to a multiple of 8."""
    tok = Tokenizer(models.BPE(ignore_merges=True))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.Split(Regex(QWEN_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.train_from_iterator(CORPUS, bpe_trainer(1500, [], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.model.ignore_merges = True
    # Special tokens after the vocabulary, as in Qwen's file.
    tok.add_special_tokens([AddedToken(ENDOFTEXT, special=True, normalized=False),
                            AddedToken("<|im_start|>", lstrip=True, special=True, normalized=False),
                            AddedToken("<|im_end|>", rstrip=True, special=True, normalized=False)])
    tok.add_tokens([
        AddedToken("<think>", special=False, normalized=False),
        AddedToken("</think>", special=False, normalized=False),
        # normalized=True: matched in the NFC-normalized text.
        AddedToken("<tool_call>", special=False, normalized=True),
    ])
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        template(tok, "<|im_start|> $A:0", "<|im_start|>:0 $A:0 <|im_end|>:0 <|im_start|>:1 $B:1",
                 ["<|im_start|>", "<|im_end|>"]),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.enable_padding(direction="left", pad_to_multiple_of=8, pad_id=tok.token_to_id(ENDOFTEXT),
                       pad_type_id=0, pad_token=ENDOFTEXT)
    tok.enable_truncation(2048, direction="left")  # keep the end of a long prompt
    return tok


def bpe_bytelevel_normalizer_split_string():
    """ByteLevel as a normalizer (spaces become Ġ before pre-tokenization), then string splits:
    Ġ MergedWithNext, digits Contiguous, newlines (Ċ) Contiguous; ByteLevel post-processor."""
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.ByteLevel()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split("Ġ", behavior="merged_with_next"),
        pre_tokenizers.Split(Regex("[0-9]"), behavior="contiguous"),
        pre_tokenizers.Split("Ċ", behavior="contiguous"),
    ])
    tok.train_from_iterator(CORPUS, bpe_trainer(1200, [ENDOFTEXT], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.ByteLevel(trim_offsets=True, add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.enable_truncation(1024)
    return tok


def bpe_charbpe_endofword_bert():
    """OpenAI-GPT/CharBPE style: BertNormalizer(strip_accents, no Chinese padding), BertPreTokenizer,
    BPE with </w> end-of-word suffix and <unk>, BPEDecoder; OnlyFirst truncation."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", end_of_word_suffix="</w>", fuse_unk=False))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False,
                                                strip_accents=True, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    corpus = common_chars_only(200)
    pseudo = affixed_alphabet(tok, corpus, suffix="</w>")
    tok.train_from_iterator(corpus, bpe_trainer(1500, ["<unk>", "<s>", "</s>", "<pad>"] + pseudo,
                                                end_of_word_suffix="</w>"))
    tok = drop_added(tok, pseudo)
    tok.post_processor = template(tok, "<s> $A </s>", "<s> $A </s> </s>:1 $B:1 </s>:1", ["<s>", "</s>"])
    tok.decoder = decoders.BPEDecoder(suffix="</w>")
    tok.enable_truncation(512, stride=8, strategy="only_first", direction="right")
    set_max_length(tok, fit_only_first)
    return tok


def bpe_subwordprefix_fuseunk_whitespace():
    """BPE with a ## continuing-subword prefix, a small alphabet and fuse_unk (runs of unknown
    characters become one [UNK]); NFKD + Replace(regex) + Strip(both) normalizers, Whitespace
    pre-tokenizer, WordPiece decoder; LongestFirst truncation from the left with a stride."""
    tok = Tokenizer(models.BPE(unk_token="[UNK]", continuing_subword_prefix="##", fuse_unk=True))
    tok.normalizer = normalizers.Sequence([
        normalizers.NFKD(),
        normalizers.Replace(Regex(r"\s+"), " "),
        normalizers.Strip(left=True, right=True),
    ])
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    corpus = common_chars_only(90)
    pseudo = affixed_alphabet(tok, corpus, prefix="##")
    tok.train_from_iterator(corpus, bpe_trainer(1200, ["[UNK]", "[CLS]", "[SEP]", "[PAD]"] + pseudo,
                                                continuing_subword_prefix="##"))
    tok = drop_added(tok, pseudo)
    tok.post_processor = template(tok, "[CLS] $A [SEP]", "[CLS] $A [SEP] $B:1 [SEP]:1", ["[CLS]", "[SEP]"])
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    tok.enable_truncation(128, stride=16, strategy="longest_first", direction="left")
    return tok


def wordpiece_nfd_lowercase_stripaccents_bertprocessing():
    """BERT uncased built from parts: NFD + Lowercase + StripAccents, WhitespaceSplit +
    Punctuation + Digits(contiguous), WordPiece, BertProcessing; a normalized single-word added
    token spanning a space ("milky way")."""
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase(), normalizers.StripAccents()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(),
        pre_tokenizers.Punctuation(behavior="isolated"),
        pre_tokenizers.Digits(individual_digits=False),
    ])
    pseudo = affixed_alphabet(tok, CORPUS, prefix="##")
    tok.train_from_iterator(CORPUS, trainers.WordPieceTrainer(
        vocab_size=1500, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + pseudo, show_progress=False))
    tok = drop_added(tok, pseudo)
    tok.add_tokens([AddedToken("milky way", single_word=True, normalized=True, special=False)])
    tok.add_special_tokens([AddedToken("[MASK]", lstrip=True, special=True, normalized=False)])
    tok.post_processor = processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]")))
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=False)
    tok.enable_truncation(256, stride=0, strategy="longest_first", direction="right")
    return tok


def wordpiece_bert_cased_chinese_padded():
    """BERT cased: BertNormalizer(lowercase=false, strip_accents=null, Chinese chars padded),
    BertPreTokenizer, WordPiece, Template post-processing; truncation 64 with a stride and fixed
    left padding rounded up to a multiple of 16 (60 -> 64) with a non-zero pad type id."""
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=None, lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    pseudo = affixed_alphabet(tok, CORPUS, prefix="##")
    tok.train_from_iterator(CORPUS, trainers.WordPieceTrainer(
        vocab_size=2000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + pseudo, show_progress=False))
    tok = drop_added(tok, pseudo)
    tok.post_processor = template(tok, "[CLS]:0 $A:0 [SEP]:0", "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1", ["[CLS]", "[SEP]"])
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    tok.enable_truncation(60, stride=16, strategy="longest_first", direction="right")
    tok.enable_padding(direction="left", length=60, pad_to_multiple_of=16, pad_id=tok.token_to_id("[PAD]"),
                       pad_type_id=1, pad_token="[PAD]")
    return tok


def wordlevel_bertnorm_whitespacesplit_onlysecond():
    """Word-level vocabulary: BertNormalizer(clean_text=false, strip_accents=false), WhitespaceSplit,
    WordLevel with [UNK], no decoder (decode joins with spaces); OnlySecond truncation from the left
    (max_length just above the longest single text, so only pairs truncate) and BatchLongest padding
    to a multiple of 16."""
    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True,
                                                strip_accents=False, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.train_from_iterator(CORPUS, trainers.WordLevelTrainer(
        vocab_size=800, min_frequency=2, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"], show_progress=False))
    tok.post_processor = template(tok, "[CLS] $A [SEP]", "[CLS] $A [SEP] $B:1 [SEP]:1", ["[CLS]", "[SEP]"])
    tok.enable_truncation(512, stride=4, strategy="only_second", direction="left")
    set_max_length(tok, fit_only_second)
    tok.enable_padding(direction="right", pad_to_multiple_of=16, pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")
    return tok


def wordlevel_chardelimiter_nfkc_strip():
    """Word-level on spaces: NFKC + Lowercase + Strip(right only); lines removed by a
    Split(regex, Removed), then CharDelimiterSplit(' '); a special token inside words."""
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase(),
                                           normalizers.Strip(left=False, right=True)])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"\n+"), behavior="removed"),
        pre_tokenizers.CharDelimiterSplit(" "),
    ])
    tok.train_from_iterator(CORPUS, trainers.WordLevelTrainer(
        vocab_size=500, min_frequency=2, special_tokens=["<unk>"], show_progress=False))
    # Added after training: the trainer would give a special token that is also a corpus word two
    # ids (the vocabulary then has a hole where the first one was).
    tok.add_special_tokens([AddedToken(ENDOFTEXT, special=True, normalized=False)])
    return tok


def unigram_precompiled_metaspace():
    """T5 style: SentencePiece Unigram converted from a model trained here with a small NFKC-like
    rule set -> Precompiled + Replace(' {2,}') normalizers, Metaspace(always, split), "$A </s>"
    template; LongestFirst truncation at 512."""
    with tempfile.TemporaryDirectory() as tmp:
        rules = os.path.join(tmp, "rules.tsv")
        with open(rules, "w", encoding="utf-8") as f:
            f.write(nfkc_rules())
        m = train_spm(vocab_size=800, normalization_rule_tsv=rules, pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
                      character_coverage=1.0, add_dummy_prefix=True, remove_extra_whitespaces=True)
    tok = Tokenizer(unigram_from_spm(m))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(m.normalizer_spec.precompiled_charsmap),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ["<pad>", "</s>", "<unk>"]])
    tok.post_processor = template(tok, "$A:0 </s>:0", "$A:0 </s>:0 $B:1 </s>:1", ["</s>"])
    tok.enable_truncation(512, strategy="longest_first")
    return tok


def unigram_bytefallback_metaspace_first():
    """Llama/Mistral-SentencePiece style on a Unigram model: byte_fallback (<0xNN> pieces), no
    normalizer, Metaspace(prepend_scheme=first, split=false), decoder Replace + ByteFallback + Fuse +
    Strip, "<s> $A" template, chat-markup special tokens (Metaspace "first" after them)."""
    m = train_spm(vocab_size=1500, normalization_rule_name="identity", byte_fallback=True,
                  unk_id=0, bos_id=1, eos_id=2, pad_id=-1, character_coverage=0.98,
                  add_dummy_prefix=True, remove_extra_whitespaces=False, split_digits=True)
    assert m.trainer_spec.byte_fallback
    tok = Tokenizer(unigram_from_spm(m))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok.decoder = decoders.Sequence([
        decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(content=" ", left=1, right=0),
    ])
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ["<unk>", "<s>", "</s>"]])
    tok.add_special_tokens([AddedToken("<|im_start|>", special=True, normalized=False),
                            AddedToken("<|im_end|>", special=True, normalized=False)])
    tok.add_tokens([AddedToken("<think>", special=False, normalized=False),
                    AddedToken("</think>", special=False, normalized=False)])
    tok.post_processor = template(tok, "<s>:0 $A:0", "<s>:0 $A:0 <s>:1 $B:1", ["<s>"])
    tok.enable_truncation(4096)  # Llama 2's context length
    return tok


def with_byte_pieces(tok, after):
    """Insert the 256 <0xNN> byte pieces into a trained BPE vocab right after the first `after`
    ids (the special tokens), shifting the rest, as in Llama's layout; sets byte_fallback."""
    d = json.loads(tok.to_str())
    vocab = d["model"]["vocab"]
    order = sorted(vocab, key=vocab.get)
    new_order = order[:after] + [f"<0x{b:02X}>" for b in range(256)] + order[after:]
    assert len(set(new_order)) == len(new_order)
    d["model"]["vocab"] = {t: i for i, t in enumerate(new_order)}
    d["model"]["byte_fallback"] = True
    for a in d["added_tokens"]:
        a["id"] = d["model"]["vocab"][a["content"]]
    return Tokenizer.from_str(json.dumps(d, ensure_ascii=False))


def bpe_bytefallback_unicodescripts_metaspace_never():
    """SentencePiece-BPE style with byte fallback: Prepend('▁') + Replace(' ', '▁') normalizers,
    UnicodeScripts + Metaspace(never, split) pre-tokenizers, BPE byte_fallback with <unk> and
    fuse_unk, decoder ByteFallback + Fuse + Metaspace."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.UnicodeScripts(),
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=True),
    ])
    tok.train_from_iterator(common_chars_only(150), bpe_trainer(1000, ["<unk>", "<s>", "</s>"]))
    tok = with_byte_pieces(tok, 3)
    tok.decoder = decoders.Sequence([decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Metaspace(replacement="▁", prepend_scheme="never", split=True)])
    tok.post_processor = template(tok, "<s> $A </s>", "<s> $A </s> <s>:1 $B:1 </s>:1", ["<s>", "</s>"])
    tok.enable_truncation(1024)
    return tok


def bpe_ctc_fixedlength():
    """wav2vec2-like CTC output side: Lowercase + Replace(' ', '|') normalizers, FixedLength(4)
    chunks, small BPE with <unk>, CTC decoder (collapses repeats, drops <pad>, '|' -> space);
    truncation 96 from the left, fixed right padding to 96 with pad type id 1."""
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.normalizer = normalizers.Sequence([normalizers.Lowercase(), normalizers.Replace(" ", "|")])
    tok.pre_tokenizer = pre_tokenizers.FixedLength(length=4)
    tok.train_from_iterator(common_chars_only(120), bpe_trainer(400, ["<pad>", "<s>", "</s>", "<unk>"]))
    tok.decoder = decoders.CTC(pad_token="<pad>", word_delimiter_token="|", cleanup=True)
    tok.enable_truncation(96, stride=8, strategy="longest_first", direction="left")
    tok.enable_padding(direction="right", length=96, pad_id=tok.token_to_id("<pad>"), pad_type_id=1, pad_token="<pad>")
    return tok


def bpe_code_split_invert_punctuation():
    """Code-ish: Replace('\\t' -> 4 spaces) + Strip(left only) normalizers; Split(non-space runs,
    Removed, invert) + Split('_', MergedWithPrevious) + Punctuation(Contiguous); BPE with <unk> and
    fuse_unk; Fuse decoder (pieces are glued back without spaces)."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.Replace("\t", "    "), normalizers.Strip(left=True, right=False)])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"\S+"), behavior="removed", invert=True),
        pre_tokenizers.Split("_", behavior="merged_with_previous"),
        pre_tokenizers.Punctuation(behavior="contiguous"),
    ])
    tok.train_from_iterator(common_chars_only(120), bpe_trainer(1000, ["<unk>", ENDOFTEXT]))
    tok.add_special_tokens([AddedToken(ENDOFTEXT, special=True, normalized=False)])
    tok.decoder = decoders.Fuse()
    tok.enable_truncation(2048)
    return tok


def bpe_bytelevel_then_digits_punctuation():
    """ByteLevel before other pre-tokenizers: Sequence[ByteLevel(use_regex), Digits(individual),
    Punctuation], so the later two split the byte-level text (a byte of a multi-byte char whose
    alphabet char is a digit or punctuation, such as 0xB2 → '²' or 0xA1 → '¡', is cut off), on
    the RoBERTa-style model above (no prefix space, no offset trimming)."""
    tok = bpe_bytelevel_roberta()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.Punctuation(),
    ])
    tok.post_processor = processors.RobertaProcessing(
        ("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")), trim_offsets=False, add_prefix_space=False)
    return tok


def bpe_dropout_one_ignoremerges():
    """BPE `dropout` 1.0 on the Qwen-style file above: every merge is skipped (the reference draws
    `rand() < dropout`, always true at 1), so pieces stay bytes, and `ignore_merges` is bypassed
    too (only the reference's cached path, which dropout turns off, reads it)."""
    tok = bpe_nfc_digits_split_bytelevel_padleft()
    tok.model.dropout = 1.0
    tok.no_padding()
    tok.enable_truncation(4096, direction="left")
    return tok


def bpe_nounk_drops_chars():
    """A BPE with no `unk_token` (the CharBPE-style file above without it): a char missing from
    the vocab is dropped, and a token after it keeps the offsets the reference gives it (which
    start at the dropped char when it began the word)."""
    d = json.loads(bpe_charbpe_endofword_bert().to_str())
    d["model"]["unk_token"] = None
    d["truncation"] = None
    return Tokenizer.from_str(json.dumps(d, ensure_ascii=False))


FILES = {
    "bpe-bytelevel-roberta": bpe_bytelevel_roberta,
    "bpe-nfc-digits-split-bytelevel-padleft": bpe_nfc_digits_split_bytelevel_padleft,
    "bpe-bytelevel-normalizer-split-string": bpe_bytelevel_normalizer_split_string,
    "bpe-charbpe-endofword-bert-onlyfirst": bpe_charbpe_endofword_bert,
    "bpe-subwordprefix-fuseunk-whitespace": bpe_subwordprefix_fuseunk_whitespace,
    "bpe-bytefallback-unicodescripts-metaspace-never": bpe_bytefallback_unicodescripts_metaspace_never,
    "bpe-ctc-fixedlength": bpe_ctc_fixedlength,
    "bpe-code-split-invert-punctuation": bpe_code_split_invert_punctuation,
    "wordpiece-nfd-lowercase-stripaccents-bertprocessing": wordpiece_nfd_lowercase_stripaccents_bertprocessing,
    "wordpiece-bert-cased-chinese-padded": wordpiece_bert_cased_chinese_padded,
    "wordlevel-bertnorm-whitespacesplit-onlysecond": wordlevel_bertnorm_whitespacesplit_onlysecond,
    "wordlevel-chardelimiter-nfkc-strip": wordlevel_chardelimiter_nfkc_strip,
    "unigram-precompiled-metaspace": unigram_precompiled_metaspace,
    "unigram-bytefallback-metaspace-first": unigram_bytefallback_metaspace_first,
    "bpe-bytelevel-then-digits-punctuation": bpe_bytelevel_then_digits_punctuation,
    "bpe-dropout-one-ignoremerges": bpe_dropout_one_ignoremerges,
    "bpe-nounk-drops-chars": bpe_nounk_drops_chars,
}


# --------------------------------------------------------------------------------------------
# Truncation lengths that keep every test input error-free
# --------------------------------------------------------------------------------------------

def lengths(tok):
    """Token counts without truncation/padding: singles (with specials when the generator uses
    them) and pairs as (len A, len B, added special tokens)."""
    t = Tokenizer.from_str(tok.to_str())
    t.no_truncation()
    t.no_padding()
    singles = []
    for name, text in TEXT_LIST:
        singles.append(len(t.encode(text, add_special_tokens=False).ids))
        if name in WITH_SPECIAL:
            singles.append(len(t.encode(text, add_special_tokens=True).ids))
    pairs = []
    for a, b in PAIRS:
        for special in (False, True):
            la = len(t.encode(TEXT_BY_NAME[a], add_special_tokens=False).ids)
            lb = len(t.encode(TEXT_BY_NAME[b], add_special_tokens=False).ids)
            n = len(t.encode(TEXT_BY_NAME[a], TEXT_BY_NAME[b], add_special_tokens=special).ids) - la - lb
            pairs.append((la, lb, n))
    return singles, pairs


def round_up(n, k=8):
    return -(-n // k) * k


def fit_only_first(tok):
    """OnlyFirst raises when the second sequence alone does not fit, and the reference panics when
    the first is cut to `stride` tokens or fewer: max_length above the longest second sequence of
    the pairs plus specials plus stride, rounded up to a multiple of 8."""
    _, pairs = lengths(tok)
    return round_up(max(lb + n for _, lb, n in pairs) + tok.truncation["stride"] + 1)


def fit_only_second(tok):
    """OnlySecond raises on any single text that needs truncating and on pairs whose first
    sequence alone does not fit, and panics when the second is cut to `stride` tokens or fewer:
    max_length just above every single text and every first sequence plus specials plus stride."""
    singles, pairs = lengths(tok)
    return round_up(max(max(singles), max(la + n for la, _, n in pairs) + tok.truncation["stride"]) + 1)


def set_max_length(tok, fit):
    tr = tok.truncation
    tok.enable_truncation(fit(tok), stride=tr["stride"], strategy=tr["strategy"], direction=tr["direction"])


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

REQUIRED_FEATURES = """
normalizer:NFC normalizer:NFD normalizer:NFKC normalizer:NFKD normalizer:Lowercase
normalizer:Strip:left normalizer:Strip:right normalizer:StripAccents
normalizer:Replace:String normalizer:Replace:Regex normalizer:Prepend
normalizer:BertNormalizer:clean_text=true normalizer:BertNormalizer:clean_text=false
normalizer:BertNormalizer:handle_chinese_chars=true normalizer:BertNormalizer:handle_chinese_chars=false
normalizer:BertNormalizer:strip_accents=true normalizer:BertNormalizer:strip_accents=false
normalizer:BertNormalizer:strip_accents=null
normalizer:BertNormalizer:lowercase=true normalizer:BertNormalizer:lowercase=false
normalizer:Precompiled normalizer:ByteLevel normalizer:Sequence
pre_tokenizer:ByteLevel:add_prefix_space=true pre_tokenizer:ByteLevel:add_prefix_space=false
pre_tokenizer:ByteLevel:use_regex=false
pre_tokenizer:Split:String pre_tokenizer:Split:Regex
pre_tokenizer:Split:Removed pre_tokenizer:Split:Isolated pre_tokenizer:Split:MergedWithPrevious
pre_tokenizer:Split:MergedWithNext pre_tokenizer:Split:Contiguous pre_tokenizer:Split:invert
pre_tokenizer:Whitespace pre_tokenizer:WhitespaceSplit pre_tokenizer:BertPreTokenizer
pre_tokenizer:Punctuation pre_tokenizer:Metaspace:always pre_tokenizer:Metaspace:first
pre_tokenizer:Metaspace:never pre_tokenizer:Metaspace:split=true pre_tokenizer:Metaspace:split=false
pre_tokenizer:CharDelimiterSplit pre_tokenizer:Digits:individual_digits=true
pre_tokenizer:Digits:individual_digits=false pre_tokenizer:UnicodeScripts pre_tokenizer:FixedLength
pre_tokenizer:Sequence
model:BPE:byte_fallback model:BPE:unk_token model:BPE:fuse_unk model:BPE:continuing_subword_prefix
model:BPE:end_of_word_suffix model:BPE:ignore_merges model:WordPiece model:Unigram
model:Unigram:byte_fallback model:WordLevel
added:special added:nonspecial added:single_word added:lstrip added:rstrip
added:normalized=true added:normalized=false
post_processor:TemplateProcessing post_processor:TemplateProcessing:type_id=1 post_processor:BertProcessing
post_processor:RobertaProcessing:trim_offsets=true post_processor:RobertaProcessing:add_prefix_space=true
post_processor:ByteLevel post_processor:Sequence
decoder:ByteLevel decoder:Metaspace decoder:WordPiece decoder:BPEDecoder decoder:ByteFallback
decoder:Fuse decoder:Strip decoder:Replace decoder:CTC decoder:Sequence
truncation:LongestFirst truncation:OnlyFirst truncation:OnlySecond truncation:Left truncation:Right
truncation:stride
padding:Fixed padding:BatchLongest padding:Left padding:Right padding:pad_to_multiple_of
padding:pad_id padding:pad_type_id padding:pad_token
""".split()


def features(d):
    """The component/option labels a tokenizer.json uses (see REQUIRED_FEATURES)."""
    out = set()
    js = lambda v: json.dumps(v)  # noqa: E731

    def walk(stage, c):
        if c is None:
            return
        t = c["type"]
        out.add(f"{stage}:{t}")
        if t == "Sequence":
            for key in ("normalizers", "pretokenizers", "processors", "decoders"):
                for sub in c.get(key, []):
                    walk(stage, sub)
        if stage == "normalizer" and t == "Strip":
            if c["strip_left"]:
                out.add("normalizer:Strip:left")
            if c["strip_right"]:
                out.add("normalizer:Strip:right")
        if t in ("Replace", "Split"):
            out.add(f"{stage}:{t}:{next(iter(c['pattern']))}")
        if t == "BertNormalizer":
            for k in ("clean_text", "handle_chinese_chars", "strip_accents", "lowercase"):
                out.add(f"{stage}:{t}:{k}={js(c[k])}")
        if stage == "pre_tokenizer" and t == "ByteLevel":
            out.add(f"{stage}:{t}:add_prefix_space={js(c['add_prefix_space'])}")
            out.add(f"{stage}:{t}:use_regex={js(c.get('use_regex', True))}")
        if t == "Split":
            out.add(f"{stage}:{t}:{c['behavior']}")
            if c["invert"]:
                out.add(f"{stage}:{t}:invert")
        if stage == "pre_tokenizer" and t == "Metaspace":
            out.add(f"{stage}:{t}:{c['prepend_scheme']}")
            out.add(f"{stage}:{t}:split={js(c['split'])}")
        if t == "Digits":
            out.add(f"{stage}:{t}:individual_digits={js(c['individual_digits'])}")
        if t == "TemplateProcessing":
            for part in c["single"] + c["pair"]:
                for v in part.values():
                    out.add(f"{stage}:{t}:type_id={v['type_id']}")
        if t == "RobertaProcessing":
            for k in ("trim_offsets", "add_prefix_space"):
                out.add(f"{stage}:{t}:{k}={js(c[k])}")

    for stage in ("normalizer", "pre_tokenizer", "post_processor", "decoder"):
        walk(stage, d.get(stage))
    m = d["model"]
    out.add(f"model:{m['type']}")
    for k in ("byte_fallback", "unk_token", "fuse_unk", "continuing_subword_prefix", "end_of_word_suffix",
              "ignore_merges"):
        if m.get(k):
            out.add(f"model:{m['type']}:{k}")
    for a in d["added_tokens"]:
        out.add("added:special" if a["special"] else "added:nonspecial")
        for k in ("single_word", "lstrip", "rstrip"):
            if a[k]:
                out.add(f"added:{k}")
        out.add(f"added:normalized={js(a['normalized'])}")
    tr = d.get("truncation")
    if tr:
        out.update([f"truncation:{tr['strategy']}", f"truncation:{tr.get('direction', 'Right')}"])
        if tr["stride"]:
            out.add("truncation:stride")
    pd = d.get("padding")
    if pd:
        out.add("padding:" + ("BatchLongest" if pd["strategy"] == "BatchLongest" else next(iter(pd["strategy"]))))
        out.add(f"padding:{pd['direction']}")
        if pd["pad_to_multiple_of"]:
            out.add("padding:pad_to_multiple_of")
        if pd["pad_id"]:
            out.add("padding:pad_id")
        if pd["pad_type_id"]:
            out.add("padding:pad_type_id")
        if pd["pad_token"] != "[PAD]":
            out.add("padding:pad_token")
    return out


def check_no_errors(name, tok):
    """Every input gen_golden.py encodes must encode without an error (e.g. truncation errors)."""
    truncated_pairs = 0
    for text_name, text in TEXT_LIST:
        for special in ([False, True] if text_name in WITH_SPECIAL else [False]):
            tok.encode(text, add_special_tokens=special)
    for a, b in PAIRS:
        for special in (False, True):
            enc = tok.encode(TEXT_BY_NAME[a], TEXT_BY_NAME[b], add_special_tokens=special)
            truncated_pairs += bool(enc.overflowing)
    return truncated_pairs


def main():
    if tokenizers.__version__ != "0.23.3":
        sys.exit(f"error: tokenizers {tokenizers.__version__} installed, need ==0.23.3 (see the docstring)")
    os.makedirs(OUT_DIR, exist_ok=True)
    covered = set()
    for name, build in FILES.items():
        tok = build()
        path = os.path.join(OUT_DIR, name + ".json")
        tok.save(path, pretty=True)
        # Check what was written, as the golden generator will read it.
        tok = Tokenizer.from_file(path)
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        covered |= features(d)
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            sys.exit(f"error: {path} is {size} bytes, over {MAX_FILE_BYTES}")
        truncated = check_no_errors(name, tok)
        tr = d.get("truncation")
        print(f"  {name}.json: {size} bytes, vocab {tok.get_vocab_size()}"
              + (f", truncation {tr['strategy']} {tr['max_length']} ({truncated} pair cases truncated)" if tr else ""))
        if tr and tr["strategy"] != "LongestFirst" and not truncated:
            sys.exit(f"error: {name}: no pair case is truncated; choose other lengths")
    missing = [f for f in REQUIRED_FEATURES if f not in covered]
    if missing:
        sys.exit(f"error: no file uses {missing}")
    print(f"  all {len(REQUIRED_FEATURES)} required components/options covered")


if __name__ == "__main__":
    main()
