// Loads the parity corpus from the shared data folder (see ../../../../shared/data/README.md):
// SST-2 sentences, CoNLL-2003 sentences (words joined by spaces), SQuAD contexts and questions,
// and a sample of Gutenberg paragraphs. Plain JS so that tools/ scripts can use it too.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export function findSharedData(start = process.cwd()) {
  const candidates = [join(start, '../shared/data'), join(start, '../../shared/data'), join(start, '../../../shared/data'), '/work/shared/data'];
  return candidates.find((p) => existsSync(join(p, 'sst2'))) ?? null;
}

function sst2(dir) {
  const out = [];
  for (const f of ['train.tsv', 'dev.tsv']) {
    const lines = readFileSync(join(dir, 'sst2', f), 'utf8').split('\n').slice(1);
    for (const l of lines) {
      const tab = l.lastIndexOf('\t');
      if (tab > 0) out.push(l.slice(0, tab).trim());
    }
  }
  return out;
}

function conll(dir) {
  const out = [];
  for (const f of ['train.txt', 'valid.txt']) {
    let words = [];
    for (const l of readFileSync(join(dir, 'conll2003', f), 'utf8').split('\n')) {
      const t = l.trim();
      if (t === '') {
        if (words.length) out.push(words.join(' '));
        words = [];
      } else if (!t.startsWith('-DOCSTART-')) words.push(t.split(' ')[0]);
    }
    if (words.length) out.push(words.join(' '));
  }
  return out;
}

function squad(dir) {
  const j = JSON.parse(readFileSync(join(dir, 'squad', 'squad-v1.1-dev-part-train.json'), 'utf8'));
  const contexts = [];
  const questions = [];
  const pairs = [];
  for (const a of j.data)
    for (const p of a.paragraphs) {
      contexts.push(p.context);
      for (const q of p.qas) {
        questions.push(q.question);
        pairs.push([q.question, p.context]);
      }
    }
  return { contexts, questions, pairs };
}

/** Paragraphs (CRLF line breaks kept) of every book, every `every`-th one. */
function gutenberg(dir, every) {
  const gdir = join(dir, 'corpus', 'gutenberg');
  const out = [];
  for (const f of readdirSync(gdir).sort()) {
    let text = readFileSync(join(gdir, f), 'utf8').replace(/^\uFEFF/, '');
    const lines = text.split('\n');
    const s = lines.findIndex((l) => /^\*\*\* ?START OF/.test(l));
    const e = lines.findIndex((l) => /^\*\*\* ?END OF/.test(l));
    text = lines.slice(s + 1, e < 0 ? undefined : e).join('\n');
    const paras = text.split(/\r?\n\r?\n/).filter((p) => p.trim().length > 0);
    paras.forEach((p, i) => {
      if (i % every === 0) out.push(p);
    });
  }
  return out;
}

/** Every corpus as named lists of strings, plus SQuAD (question, context) pairs. */
export function loadCorpus(dir, { gutenbergEvery = 10 } = {}) {
  const sq = squad(dir);
  return {
    sst2: sst2(dir),
    conll: conll(dir),
    squadContexts: sq.contexts,
    squadQuestions: sq.questions,
    squadPairs: sq.pairs,
    gutenberg: gutenberg(dir, gutenbergEvery),
  };
}

// Python's str.strip() whitespace (str.isspace), which is not JS trim()'s: no U+FEFF, but U+001C–U+001F and U+0085.
const PY_SPACE = '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g');

/** Python's `line.strip()`. */
export function pyStrip(s) {
  return s.replace(PY_STRIP, '');
}

/**
 * The lines of a text, as Python's universal-newline reading splits them (\r\n, \r, \n; no final
 * empty line), each `.strip()`ped: how llama-style-bpe's training texts were made.
 */
export function strippedLines(text) {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map(pyStrip);
}
