// Builds fixtures/tokenizer-corpus/hf-<name>.json for the two SentencePiece-style tokenizers of the
// shared data (llama-style-bpe: BPE with byte fallback; albert-style-unigram: Unigram with NFKC):
// HF tokenizers' (Python) ids, tokens, offsets, word ids, type ids and decodes on corpus lines and
// generated hostile strings. The vitest suite compares attn with these files and needs no Python.
//   python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers
//   node tools/tokenizers/make-sentencepiece-fixtures.mjs --python /tmp/tokvenv/bin/python [--data ../shared/data]
// Also copies the two tokenizer.json files to fixtures/tokenizers/<name>/ so that tests find them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { loadCorpus, findSharedData } = await import(join(root, 'packages/tokenizers/test/corpus.mjs'));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const python = arg('--python', 'python3');
const dataDir = arg('--data', findSharedData(root));
if (!dataDir) throw new Error('shared data not found; pass --data <dir>');

// Deterministic pseudo-random numbers (mulberry32), so that the fixture is reproducible.
let seed = 0x5eed;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(rand() * list.length)];
const cps = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => String.fromCodePoint(a + i));

const marks = [...cps(0x300, 0x36f), '\u0591', '\u05b0', '\u05bc', '\u05c1', '\u0e31', '\u0e48', '\u093c', '\u094d', '\u3099', '\u309a', '\u1dc0', '\u20d0', '\u20e3', '\ufe0f', '\u0f71', '\u0f72', '\u0f74', '\u0f80'];
const bases = [...'aeiouynscAEIOUNSC', 'ı', 'α', 'ω', 'ι', 'и', 'е', 'א', 'ש', 'ᄀ', 'ᅡ', 'ᆨ', 'か', 'ｶ', 'ﾊ', '1', 'ſ', 'ɑ', 'ᾳ', 'ü', 'ṣ', 'ŉ'];
const nfkc = [
  ...'ﬁﬂﬀﬃﬄﬅﬆ', ...cps(0xff01, 0xff5e).filter((_, i) => i % 3 === 0), ...'①⑩⑴⒜²³¹₂½¼⅓Ⅻⅻ㍿㌀㎏㏂ｶﾞﾊﾟﾟ℃℉™℡№ǆǄǅµſϐ﹏︵‥…｟ᵃǈĳŉẛ\u0344\u0f73\u0f75\u0f81ΩÅ\u1e9b\ufb2c\u0958\u2adc㈱㊤⁉‼ℌℍ',
  '𝐀', '𝔄', '𝕬', '𝟘', 'ǅ', '\u1e9b\u0323', 'ｶﾞ', 'ﾃﾞｨ', '\u2126\u0301', '\u00c5\u0323',
];
const emoji = ['😀', '👍🏽', '👨‍👩‍👧', '🏳️‍🌈', '❤️', '🇯🇵', '#️⃣', '1️⃣', '🧑🏿‍💻', '🫠', '🥲'];
const cjk = ['中文', '日本語', '한국어', '각', '𠀋', '𪚥', '北京', '、。', 'テスト', '\u1100\u1161\u11a8', '\u1112\u1161\u11ab'];
const controls = [...cps(0, 0x1f).filter((c) => c !== '\n' && c !== '\t'), '\u007f', '\u0080', '\u009f', '\u200b', '\u200c', '\u200d', '\u200e', '\u202e', '\ufeff', '\ufffd', '\u00ad'];
const spaces = [' ', '  ', '   ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\u1680', '\u205f', '\u000b', '\u000c', '\u0085', '\u2028', ' \u00a0 '];
const surrogates = ['\ud800', '\udc00', '\ud83d', '\ude00', '\udfff\ud800'];
const words = ['the', 'The', 'naïve', 'café', 'Straße', 'résumé', "don't", 'U.S.A.', 'ice-cream', '3.14', '$100', 'hello', 'WORLD', 'x', 'e', 'ﬁnal', '``quoted\'\'', "''", '``', '"', '▁', '▁▁', '<0x41>', 'Ω', 'ǰ'];
const specials = ['[CLS]', '[SEP]', '[MASK]', '<unk>', '<pad>', '<s>', '</s>'];
const groups = [marks, bases, nfkc, emoji, cjk, controls, spaces, surrogates, words, words, words, specials];

function hostile() {
  const n = 1 + Math.floor(rand() * 10);
  let s = '';
  for (let i = 0; i < n; i++) {
    const g = pick(groups);
    s += pick(g);
    if (g === bases || g === nfkc) for (let k = Math.floor(rand() * 4); k > 0; k--) s += pick(marks);
    if (rand() < 0.4) s += pick([' ', ' ', '', '\n']);
  }
  return s;
}

function structured() {
  const out = [];
  for (const c of nfkc) out.push(c, `${c}${c}`, `word${c}word ${c}`, `${c}\u0301`, `${c}\u0323\u0301 x`);
  for (const b of bases) out.push(`${b}\u0301`, `${b}\u0308\u0301x`, `${b}\u0301\u0323 ${b}`, `${b}\u0323\u0307y`, `${b}\u0345\u0313\u0301`, `${b}\u0327\u0301\u0327`);
  for (const e of emoji) out.push(e, `a${e}b`, `${e} ${e}`);
  for (const c of [...controls, ...spaces, ...surrogates]) out.push(`a${c}b`, `${c}x${c}`, c);
  for (const w of specials) out.push(w, `x${w}y`, ` ${w} `, `${w}${w}`, `${w.toLowerCase()}é`);
  return out;
}

const corpus = loadCorpus(dataDir, { gutenbergEvery: 1 });
const every = (list, n, maxLen = Infinity) => {
  const ok = list.filter((s) => s.length <= maxLen);
  return ok.filter((_, k) => k % Math.max(1, Math.floor(ok.length / n)) === 0).slice(0, n);
};
const adversarial = JSON.parse(readFileSync(join(root, 'fixtures/tokenizer-corpus/adversarial.json'), 'utf8'));
const singles = [
  ...every(corpus.sst2, 200),
  ...every(corpus.conll, 150),
  ...every(corpus.squadQuestions, 150),
  ...every(corpus.squadContexts, 6, 500),
  ...every(corpus.gutenberg, 150, 250),
  ...adversarial,
  ...structured(),
];
const nHostile = 800; // keeps hf-llama-style-bpe.json under the 1 MiB limit of tools/check-repo-files.mjs
for (let i = 0; i < nHostile; i++) singles.push(hostile());
const pairs = [];
for (let i = 0; i < 60; i++) pairs.push([hostile(), hostile()]);
const sst = every(corpus.sst2, 60, 120);
for (let i = 0; i < sst.length; i++) pairs.push([sst[i], sst[(i + 1) % sst.length]]);
const questions = every(corpus.squadQuestions, 30);
for (let i = 0; i < questions.length; i++) pairs.push([questions[i], adversarial[(i * 7) % adversarial.length]]);
// Byte fallback: characters outside the 4,000-token vocabulary, of every UTF-8 length (2, 3 and 4
// bytes), alone, inside words, repeated, next to spaces and in pairs: every byte piece of one
// character carries that character's whole span in HF. Appended last so that earlier cases keep
// their place in the fixture.
const rare = [
  'ß', 'Ł', 'ğ', 'ș', 'Ω', 'Ж', 'ש', 'ع', 'Ֆ', 'ა', // 2 bytes
  'क्षि', 'ไทย', 'தமிழ்', 'ქართ', 'ℵ', '∑', '€', '☃', '✓', '♥', '\u2060', '\ue000', '\ufffd', 'ｶﾞ', '한', '漢字', 'かな', 'ー', // 3 bytes
  '𝄞', '𓀀', '𐍈', '𝔘', '🀄', '🤖', '👩🏽‍🔬', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '\u{10fffd}', '\u{e0041}', '𠜎', // 4 bytes
];
const rareCases = [];
for (const r of rare) rareCases.push(r, `a${r}b`, `${r}${r}`, ` ${r} `, `the ${r}.`, `${r}\u0301`);
rareCases.push(rare.join(''), rare.join(' '), '😀😀😀 中文 日本語 한국어 ☃☃', 'word😀word 中word ☃');
for (let i = 0; i + 2 < rare.length; i += 4) rareCases.push([`${rare[i]} x`, `y ${rare[i + 1]}${rare[i + 2]}`]);
const inputs = [...singles, ...pairs, ...rareCases];

const tmp = mkdtempSync(join(tmpdir(), 'attn-spm-'));
const inputsFile = join(tmp, 'inputs.json');
writeFileSync(inputsFile, JSON.stringify(inputs));
for (const name of ['llama-style-bpe', 'albert-style-unigram']) {
  const dir = join(root, 'fixtures/tokenizers', name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(dataDir, 'tokenizers', name, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  const json = execFileSync(python, [join(root, 'tools/tokenizers/hf_encode.py'), join(dir, 'tokenizer.json'), inputsFile], { maxBuffer: 1 << 28, encoding: 'utf8' });
  const out = join(root, `fixtures/tokenizer-corpus/hf-${name}.json`);
  // One case per line: reviewable diffs when the fixture is regenerated.
  const parsed = JSON.parse(json);
  const body = parsed.cases.map((c) => JSON.stringify(c)).join(',\n');
  writeFileSync(out, `{"tokenizer":${JSON.stringify(name)},"tokenizersVersion":${JSON.stringify(parsed.tokenizersVersion)},"cases":[\n${body}\n]}\n`);
  console.log(`${name}: ${parsed.cases.length} cases (${singles.length} single, ${pairs.length} pairs, ${rareCases.length} byte-fallback cases), ${(statSync(out).size / 1024).toFixed(0)} KiB, HF tokenizers ${parsed.tokenizersVersion}`);
}
