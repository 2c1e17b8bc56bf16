// Pretraining text besides the Gutenberg books: the unlabelled text of the fine-tuning tasks'
// training splits (never their dev splits), so the model sees the downstream domains.
import { readFileSync } from 'node:fs';

/**
 * Paragraphs of one extra text file:
 * - `.tsv` (GLUE SST-2 layout): the text before the last TAB of every row after the header;
 * - `.json` (SQuAD v1.1): the contexts of every article but the last `squadDevArticles` (the QA app's
 *   default dev split takes the last articles in file order);
 * - CoNLL column files (a `-DOCSTART-` line, one token per line; e.g. CoNLL-2003 `train.txt`): one
 *   paragraph per sentence, the first column joined with spaces;
 * - anything else: one paragraph per non-empty line.
 */
export function extraTexts(file, { squadDevArticles = 6 } = {}) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.tsv')) {
    const rows = text.split(/\r?\n/).slice(1).filter((l) => l.trim() !== '');
    return rows.map((l) => (l.includes('\t') ? l.slice(0, l.lastIndexOf('\t')) : l).trim()).filter(Boolean);
  }
  if (file.endsWith('.json')) {
    const data = JSON.parse(text).data;
    if (!Array.isArray(data)) throw new Error(`${file}: expected SQuAD JSON with a "data" array`);
    const keep = data.slice(0, Math.max(0, data.length - squadDevArticles));
    return keep.flatMap((a) => a.paragraphs.map((p) => p.context));
  }
  if (/^-DOCSTART-/m.test(text.slice(0, 4096))) {
    const sentences = [];
    let words = [];
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t === '' || t.startsWith('-DOCSTART-')) {
        if (words.length) sentences.push(words.join(' '));
        words = [];
      } else words.push(t.split(/\s+/)[0]);
    }
    if (words.length) sentences.push(words.join(' '));
    return sentences;
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}
