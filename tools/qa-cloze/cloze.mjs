// Cloze questions from plain text, as SQuAD v1.1 JSON (issue #28's QA augmentation experiment; "Unsupervised Question
// Answering by Cloze Translation", Lewis et al. 2019, with its rule-based variant: a sentence with a named, numeric or
// noun-phrase answer span replaced by a wh-word chosen by the span's kind, the words nearest it kept, some stop words
// dropped, the order rotated for 40% of the questions). Measured 2026-12-07 not to help (docs/experiments.md, "Eighth
// session"); kept so that the result can be reproduced.
//   node tools/qa-cloze/cloze.mjs --books ../shared/data/corpus/gutenberg --squad <squad.json> --squad-articles 30 \
//     --per-book 1500 --per-squad-par 4 --seed 7 --out cloze.json
// --books: a folder of .txt files (paragraphs of 250-900 characters, one question each, up to --per-book per file);
// --squad: the contexts of the first --squad-articles articles of a SQuAD file (--per-squad-par questions each).
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, arr) => (v.startsWith('--') ? a.concat([[v.slice(2), arr[i + 1]]]) : a), []));
let seed = Number(args.seed ?? 7) >>> 0;
const rand = () => { seed = (seed + 0x6d2b79f5) >>> 0; let t = seed; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (a) => a[Math.floor(rand() * a.length)];

const MONTHS = /^(January|February|March|April|May|June|July|August|September|October|November|December)$/;
const STOP = new Set('a an the of in on at to for from by with and or but as is was were be been are his her its their our my your this that these those it he she they we i you not no so than then there here which who whom whose what when where why how all any some one'.split(' '));
const LOC_PREP = new Set(['in', 'at', 'from', 'to', 'near', 'into', 'across', 'through']);

function sentences(text) {
  const out = [];
  const re = /[^.!?]+[.!?]+["')\]]*\s*/g;
  let m;
  while ((m = re.exec(text))) out.push({ s: m[0], start: m.index });
  return out;
}

// candidate answer spans inside a sentence: [start, end, type]
function candidates(sent) {
  const words = [];
  const re = /[A-Za-z0-9][A-Za-z0-9'’\-,.]*[A-Za-z0-9]|[A-Za-z0-9]/g;
  let m;
  while ((m = re.exec(sent))) words.push({ w: m[0], a: m.index, b: m.index + m[0].length });
  const c = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i].w;
    if (/^\d[\d,.]*$/.test(w)) {
      let j = i;
      if (j + 1 < words.length && /^[a-z]+$/.test(words[j + 1].w) && !STOP.has(words[j + 1].w) && /^\s+$/.test(sent.slice(words[j].b, words[j + 1].a))) j++;
      const year = /^1\d{3}$|^20\d{2}$/.test(w);
      c.push([words[i].a, words[j].b, year ? 'when' : 'num', i]);
    } else if (/^[A-Z][a-z]/.test(w)) {
      let j = i;
      while (j + 1 < words.length && /^\s+$/.test(sent.slice(words[j].b, words[j + 1].a)) && (/^[A-Z][a-z]/.test(words[j + 1].w) || (/^(of|de|the|and)$/.test(words[j + 1].w) && j + 2 < words.length && /^[A-Z]/.test(words[j + 2].w)))) j++;
      if (i === 0 && j === i) continue; // sentence-initial single capital: usually not a name
      if (STOP.has(w.toLowerCase()) && j === i) continue;
      const prev = i > 0 ? words[i - 1].w.toLowerCase() : '';
      const type = MONTHS.test(w) ? 'when' : LOC_PREP.has(prev) ? 'where' : (j - i <= 1 && !/ of /.test(sent.slice(words[i].a, words[j].b)) ? 'who' : 'what');
      c.push([words[i].a, words[j].b, type, i]);
      i = j;
    } else if (/^(the|a|an)$/i.test(w) && i + 1 < words.length) {
      // noun-phrase-ish: article + 1..3 non-stop words
      let j = i + 1;
      if (STOP.has(words[j].w.toLowerCase()) || !/^[a-z]/.test(words[j].w)) continue;
      const n = 1 + Math.floor(rand() * 3);
      while (j + 1 < words.length && j - i < n && /^\s+$/.test(sent.slice(words[j].b, words[j + 1].a)) && !STOP.has(words[j + 1].w.toLowerCase()) && /^[a-z]/.test(words[j + 1].w)) j++;
      const prev = i > 0 ? words[i - 1].w.toLowerCase() : '';
      c.push([words[i + 1].a, words[j].b, LOC_PREP.has(prev) && rand() < 0.3 ? 'where' : 'what', i + 1]);
    }
  }
  return { words, c };
}

const WH = { when: ['When', 'What year', 'In what year'], num: ['How many', 'How much', 'What number'], where: ['Where', 'In what place'], who: ['Who', 'Whom'], what: ['What', 'Which'] };

function question(cand, words) {
  const [a, b, type] = cand;
  const left = words.filter((w) => w.b <= a).map((w) => w.w);
  const right = words.filter((w) => w.a >= b).map((w) => w.w);
  // keep the words nearest the answer (SQuAD questions are short)
  const L = left.slice(Math.max(0, left.length - (6 + Math.floor(rand() * 8))));
  const R = right.slice(0, 6 + Math.floor(rand() * 8));
  let rest = rand() < 0.6 ? [...L, ...R] : [...R, ...L];
  rest = rest.filter((w) => !(rand() < 0.12 && STOP.has(w.toLowerCase())));
  if (rest.length < 3) return null;
  const q = `${pick(WH[type])} ${rest.join(' ')}`.replace(/[,.;:!]+$/, '') + '?';
  return q;
}

function makeQas(context, k, idBase) {
  const qas = [];
  const sents = sentences(context).filter((x) => x.s.split(/\s+/).length >= 6 && x.s.split(/\s+/).length <= 60);
  let tries = 0;
  while (qas.length < k && tries++ < k * 6 && sents.length) {
    const st = pick(sents);
    const { words, c } = candidates(st.s);
    if (!c.length) continue;
    // prefer named/number answers
    const named = c.filter((x) => x[2] !== 'what' || /^[A-Z0-9]/.test(st.s.slice(x[0], x[1])));
    const cand = named.length && rand() < 0.7 ? pick(named) : pick(c);
    const q = question(cand, words);
    if (!q) continue;
    const text = st.s.slice(cand[0], cand[1]);
    const answer_start = st.start + cand[0];
    if (context.slice(answer_start, answer_start + text.length) !== text) throw new Error('offset');
    if (qas.some((x) => x.answers[0].answer_start === answer_start)) continue;
    qas.push({ id: `${idBase}-${qas.length}`, question: q, answers: [{ text, answer_start }] });
  }
  return qas;
}

const data = [];
if (args.books) {
  const perBook = Number(args['per-book'] ?? 1500);
  for (const f of fs.readdirSync(args.books).filter((x) => x.endsWith('.txt')).sort()) {
    const raw = fs.readFileSync(path.join(args.books, f), 'utf8');
    const body = raw.split(/\*\*\* ?START OF[^\n]*\n/)[1]?.split(/\*\*\* ?END OF/)[0] ?? raw;
    const pars = body.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').replace(/_/g, '').trim()).filter((p) => p.length >= 250 && p.length <= 900 && !/^[A-Z ]+$/.test(p.slice(0, 20)));
    const chosen = [];
    const idx = pars.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
    const paragraphs = [];
    for (const i of idx) {
      if (paragraphs.length >= perBook) break;
      const qas = makeQas(pars[i], 1, `${f}-${i}`);
      if (qas.length) paragraphs.push({ context: pars[i], qas });
    }
    data.push({ title: f, paragraphs });
  }
}
if (args.squad) {
  const sq = JSON.parse(fs.readFileSync(args.squad, 'utf8'));
  const n = Number(args['squad-articles'] ?? 30);
  const k = Number(args['per-squad-par'] ?? 4);
  for (const a of sq.data.slice(0, n)) {
    const paragraphs = [];
    a.paragraphs.forEach((p, pi) => {
      const qas = makeQas(p.context, k, `sq-${a.title}-${pi}`);
      if (qas.length) paragraphs.push({ context: p.context, qas });
    });
    data.push({ title: `synth-${a.title}`, paragraphs });
  }
}
const nq = data.reduce((s, a) => s + a.paragraphs.reduce((t, p) => t + p.qas.length, 0), 0);
fs.writeFileSync(args.out, JSON.stringify({ data, version: '1.1' }));
console.error(`${nq} questions in ${data.length} articles -> ${args.out}`);
for (const a of data.slice(-1).concat(data.slice(0, 1))) for (const p of a.paragraphs.slice(0, 3)) for (const q of p.qas) console.error(`  Q: ${q.question}  A: ${q.answers[0].text}`);
