// Unit tests for the page's pure segmentation (www/segments.js): no browser, no wasm.
//
//   node --test tests/browser/segments.test.mjs   (also run by node --test tests/browser/)

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  codePointLength,
  compareCounts,
  firstSegmentEndingAfter,
  graphemeClusterEnd,
  isSuperword,
  replacedPieces,
  segment,
  tokenLabel,
  utf8Length,
  utf8Offsets,
  whitespaceRuns,
  wordCount,
} from "../../www/segments.js";

const shownText = (text, segments) => segments.map((s) => text.slice(s.shownStart, s.shownEnd)).join("");

test("utf8Length and codePointLength agree with TextEncoder and the iterator", () => {
  for (const s of ["", "abc", "café", "東京", "🙂", "a🙂b", "\u0000", "\ud800", "x\udc00y", "\ud83d"]) {
    assert.equal(utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s));
    assert.equal(codePointLength(s), [...s].length, JSON.stringify(s));
  }
});

test("utf8Offsets gives each UTF-16 offset's UTF-8 offset, as TextEncoder counts the prefix", () => {
  const text = "a café 東京 👍🏽\ud800 x";
  const bytes = (n) => new TextEncoder().encode(text.slice(0, n)).length;
  // Tokens of one character sharing its span, and a post-processor's (0, 0) at both ends.
  const offsets = [0, 0, 0, 1, 1, 6, 7, 8, 7, 8, 8, 9, 10, 12, 10, 12, 12, 14, 14, 15, 15, text.length, 0, 0];
  assert.deepEqual([...utf8Offsets(text, offsets)], offsets.map(bytes));
});

test("isSuperword needs whitespace between non-whitespace characters", () => {
  for (const s of ["By the way", " of the", ", I am", "a\nb", "x\t y"]) assert.ok(isSuperword(s), s);
  for (const s of [" the", "the ", "word", "  ", "\n", "", " a "]) assert.ok(!isSuperword(s), s);
});

test("segment: one span per token, tiling the text", () => {
  const text = "By the way, I am a fan of the Milky Way.";
  const offsets = [0, 10, 10, 16, 16, 18, 18, 22, 22, 29, 29, 39, 39, 40];
  const r = segment(text, offsets);
  assert.equal(r.tokenCount, 7);
  assert.equal(r.shownTokens, 7);
  assert.equal(r.truncated, false);
  assert.equal(r.coveredEnd, text.length);
  assert.equal(shownText(text, r.segments), text);
  assert.deepEqual(
    r.segments.filter((s) => s.superword).map((s) => text.slice(s.start, s.end)),
    ["By the way", ", I am", " of the", " Milky Way"],
  );
});

test("segment: tokens sharing one character show it once", () => {
  // "a🙂b" where the emoji's 4 bytes are split over two byte tokens, both spanning [1, 3).
  const text = "a🙂b";
  const r = segment(text, [0, 1, 1, 3, 1, 3, 3, 4]);
  assert.deepEqual(
    r.segments.map((s) => [s.kind, s.index, s.shownStart, s.shownEnd]),
    [
      ["token", 0, 0, 1],
      ["token", 1, 1, 3],
      ["token", 2, 3, 3],
      ["token", 3, 3, 4],
    ],
  );
  assert.equal(shownText(text, r.segments), text);
});

test("segment: a token ending inside a grapheme cluster shows the whole cluster; the rest of it share it", () => {
  // "a👍🏽b": thumb U+1F44D (2 units) + skin tone U+1F3FD (2 units), one cluster [1, 5). Byte tokens
  // split it into the thumb [1, 3) and the tone [3, 5): drawn apart, the tone is a swatch.
  const text = "a👍🏽b";
  const clusterEnd = graphemeClusterEnd(text);
  assert.deepEqual([0, 1, 2, 3, 5, 6].map(clusterEnd), [0, 1, 5, 5, 5, 6], "3 is inside the cluster, 1 and 5 are its ends");
  const r = segment(text, [0, 1, 1, 3, 3, 5, 5, 6], { clusterEnd });
  assert.deepEqual(
    r.segments.map((s) => [s.index, s.shownStart, s.shownEnd]),
    [
      [0, 0, 1],
      [1, 1, 5],
      [2, 5, 5],
      [3, 5, 6],
    ],
  );
  assert.equal(shownText(text, r.segments), text);
  // A ZWJ family and a flag (regional indicators) are one cluster each; CR LF stays two.
  const family = "👨‍👩‍👧";
  assert.equal(graphemeClusterEnd(`x${family}y`)(3), 1 + family.length);
  assert.equal(graphemeClusterEnd("x\u{1F1EF}\u{1F1F5}y")(3), 5);
  assert.equal(graphemeClusterEnd("a\r\nb")(2), 2);
});

test("segment: overlapping spans are clipped, uncovered text becomes gaps", () => {
  const text = "aébc  ";
  // token 0 covers "aé" (ends inside é's bytes), token 1 covers "éb"; "c" and the trailing spaces are uncovered.
  const r = segment(text, [0, 2, 1, 3, 4, 4]);
  assert.deepEqual(
    r.segments.map((s) => [s.kind, s.shownStart, s.shownEnd]),
    [
      ["token", 0, 2],
      ["token", 2, 3],
      ["gap", 3, 4],
      ["token", 4, 4],
      ["gap", 4, 6],
    ],
  );
  assert.equal(shownText(text, r.segments), text);
});

test("segment: spans past the end are clamped", () => {
  const r = segment("ab", [0, 1, 1, 9]);
  assert.equal(shownText("ab", r.segments), "ab");
  assert.equal(r.segments[1].end, 2);
});

test("segment: limit bounds the work and reports truncation", () => {
  const text = "x".repeat(100);
  const offsets = [];
  for (let i = 0; i < 100; i++) offsets.push(i, i + 1);
  const r = segment(text, offsets, { limit: 10 });
  assert.equal(r.tokenCount, 100);
  assert.equal(r.shownTokens, 10);
  assert.equal(r.segments.length, 10);
  assert.equal(r.truncated, true);
  assert.equal(r.coveredEnd, 10);
  assert.equal(shownText(text, r.segments), text.slice(0, 10));
});

test("segment: empty text and empty encoding", () => {
  assert.deepEqual(segment("", []).segments, []);
  assert.deepEqual(segment("abc", []).segments, [{ kind: "gap", shownStart: 0, shownEnd: 3 }]);
});

test("whitespaceRuns keeps the text and classifies each run", () => {
  const s = "a  b\tc\r\nd\u00a0e\u3000";
  const runs = whitespaceRuns(s);
  assert.equal(runs.map((r) => r.text).join(""), s);
  assert.deepEqual(
    runs.map((r) => [r.text, r.ws]),
    [
      ["a", null],
      ["  ", "space"],
      ["b", null],
      ["\t", "tab"],
      ["c", null],
      ["\r", "cr"],
      ["\n", "newline"],
      ["d", null],
      ["\u00a0", "other"],
      ["e", null],
      ["\u3000", "other"],
    ],
  );
  assert.deepEqual(whitespaceRuns(""), []);
});

test("compareCounts phrases the difference against the baseline", () => {
  assert.equal(compareCounts(7, 13, "OLMo2 BPE 200k"), "46% fewer tokens than OLMo2 BPE 200k");
  assert.equal(compareCounts(14, 13, "B"), "8% more tokens than B");
  assert.equal(compareCounts(13, 13, "B"), "same token count as B");
  assert.equal(compareCounts(999, 1000, "B"), "<1% fewer tokens than B");
  assert.equal(compareCounts(0, 0, "B"), "same token count as B");
});

test("firstSegmentEndingAfter finds the first overlapping segment", () => {
  const segs = [{ shownEnd: 2 }, { shownEnd: 2 }, { shownEnd: 5 }, { shownEnd: 9 }];
  assert.equal(firstSegmentEndingAfter(segs, 0), 0);
  assert.equal(firstSegmentEndingAfter(segs, 2), 2);
  assert.equal(firstSegmentEndingAfter(segs, 8), 3);
  assert.equal(firstSegmentEndingAfter(segs, 9), 4);
});

test("tokenLabel: whole UTF-8 as text, a partial character as hex bytes, never U+FFFD", () => {
  assert.equal(tokenLabel(new TextEncoder().encode(" the")), " the");
  assert.equal(tokenLabel(new Uint8Array([0xe6, 0x97])), "<E6 97>"); // GPT-2 "æĹ": 2 of 旗's 3 bytes
  assert.equal(tokenLabel(new Uint8Array([0x20, 0xe6])), " <E6>"); // GPT-2 "Ġæ"
  assert.equal(tokenLabel(new Uint8Array([0x97])), "<97>");
  assert.equal(tokenLabel(new Uint8Array([])), "");
});

test("wordCount counts runs of non-whitespace", () => {
  assert.equal(wordCount("By the way, I am a fan of the Milky Way."), 11);
  assert.equal(wordCount("  a\tb\nc\u3000d  "), 4);
  assert.equal(wordCount(""), 0);
});

test("replacedPieces: a token exactly covered by 2+ baseline tokens lists them", () => {
  const text = "By the way, I am a fan";
  // OLMo2 BPE 200k offsets of the reference (PyPI tokenizers 0.23.3).
  const bpe = [0, 2, 2, 6, 6, 10, 10, 11, 11, 13, 13, 16, 16, 18, 18, 22];
  // t180k: "By the way", ", I am", " a", " fan".
  const { segments } = segment(text, [0, 10, 10, 16, 16, 18, 18, 22]);
  assert.deepEqual([...replacedPieces(text, segments, bpe)], [
    [0, ["By", " the", " way"]],
    [1, [",", " I", " am"]],
  ]);
  // Boundaries that do not line up replace nothing.
  assert.deepEqual([...replacedPieces(text, segment(text, [0, 4, 4, 22]).segments, bpe)], []);
});

test("replacedPieces: tokens of one character replace nothing, in either pane", () => {
  // GPT-2 in both panes on "東 x": 東 (E6 9D B1) is two byte tokens, both spanning [0, 1).
  const text = "東 x";
  const gpt2 = [0, 1, 0, 1, 1, 3];
  assert.deepEqual([...replacedPieces(text, segment(text, gpt2).segments, gpt2)], []);
  // A pane token over the whole character, a baseline of two byte tokens: no tiling either.
  assert.deepEqual([...replacedPieces(text, segment(text, [0, 1, 1, 3]).segments, gpt2)], []);
});
