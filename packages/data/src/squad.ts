import { DataError, type SourceLocation } from './data_error';
import { SkipReport, type Loaded, type OnError, type ReaderOptions } from './error_policy';
import { readTextFile } from './line_reader';

export interface QaAnswer {
  text: string;
  /** Start of the answer in `context`, in UTF-16 code units (SQuAD's `answer_start`). */
  answerStart: number;
}

/** One extractive-QA example in SQuAD's shape. */
export interface QaExample {
  id: string;
  title: string;
  question: string;
  context: string;
  /** Empty for a SQuAD v2 unanswerable question. Train on the first; evaluate against all. */
  answers: QaAnswer[];
  isImpossible: boolean;
  source: SourceLocation;
}

export type SquadOptions = ReaderOptions;

interface RawAnswer { text?: unknown; answer_start?: unknown }
interface RawQa { id?: unknown; question?: unknown; answers?: unknown; is_impossible?: unknown }
interface RawParagraph { context?: unknown; qas?: unknown }
interface RawArticle { title?: unknown; paragraphs?: unknown }

/** A JSON object (not null, not an array): anything else in the tree is read as empty. */
function asObject<T>(v: unknown): T {
  return (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}) as T;
}

/** 1-based line of the first occurrence of `needle` in `text`, or undefined. */
function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Parses SQuAD v1.1 or v2.0 JSON text. Every answer is checked against its offset:
 * `context.slice(answer_start, answer_start + text.length) === text`.
 */
export function parseSquad(text: string, opts: SquadOptions = {}): Loaded<QaExample> {
  const file = opts.file ?? '<string>';
  const onError: OnError = opts.onError ?? 'throw';
  const report = opts.report ?? new SkipReport();
  let root: unknown;
  try {
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new DataError({ file }, `not valid JSON (${(e as Error).message}). Expected SQuAD's {"data": [...]} layout.`);
  }
  const data = (root as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new DataError({ file, field: 'data' }, 'missing top-level "data" array; this is not a SQuAD file.');

  const examples: QaExample[] = [];
  data.forEach((rawArticle: unknown, a) => {
    const article = asObject<RawArticle>(rawArticle);
    const title = typeof article.title === 'string' ? article.title : '';
    const paragraphs = Array.isArray(article.paragraphs) ? (article.paragraphs as RawParagraph[]) : [];
    paragraphs.forEach((rawPara, p) => {
      const para = asObject<RawParagraph>(rawPara);
      const ppath = `data[${a}].paragraphs[${p}]`;
      if (typeof para.context !== 'string') {
        report.handle(new DataError({ file, field: `${ppath}.context` }, 'missing "context" string.'), onError);
        return;
      }
      const context = para.context;
      const qas = Array.isArray(para.qas) ? (para.qas as RawQa[]) : [];
      qas.forEach((rawQa, q) => {
        const qa = asObject<RawQa>(rawQa);
        const qpath = `${ppath}.qas[${q}]`;
        const id = typeof qa.id === 'string' ? qa.id : String(qa.id ?? `${a}-${p}-${q}`);
        // The line is looked up only when there is an error to report: it costs a scan of the text.
        const where = (field: string): SourceLocation => ({ file, line: lineOf(text, JSON.stringify(id)), field: `${qpath}.${field}` });
        if (typeof qa.question !== 'string') {
          report.handle(new DataError(where('question'), `question ${id}: missing "question" string.`), onError);
          return;
        }
        const isImpossible = qa.is_impossible === true;
        const rawAnswers = Array.isArray(qa.answers) ? (qa.answers as RawAnswer[]) : [];
        const answers: QaAnswer[] = [];
        for (let i = 0; i < rawAnswers.length; i++) {
          const ans = asObject<RawAnswer>(rawAnswers[i]);
          // A negative or fractional answer_start would be read by slice() as another position.
          if (typeof ans.text !== 'string' || typeof ans.answer_start !== 'number' || !Number.isInteger(ans.answer_start) || ans.answer_start < 0) {
            report.handle(new DataError(where(`answers[${i}]`), `question ${id}: an answer needs "text" (string) and "answer_start" (a non-negative integer).`), onError);
            return;
          }
          const found = context.slice(ans.answer_start, ans.answer_start + ans.text.length);
          if (found !== ans.text) {
            report.handle(
              new DataError(
                where(`answers[${i}].answer_start`),
                `question ${id}: answer text ${JSON.stringify(ans.text)} is not at answer_start ${ans.answer_start}; ` +
                  `the context there reads ${JSON.stringify(found)}. answer_start counts UTF-16 code units.`,
              ),
              onError,
            );
            return;
          }
          answers.push({ text: ans.text, answerStart: ans.answer_start });
        }
        if (!isImpossible && answers.length === 0) {
          report.handle(new DataError(where('answers'), `question ${id}: no answers, and is_impossible is not true.`), onError);
          return;
        }
        examples.push({ id, title, question: qa.question, context, answers: isImpossible ? [] : answers, isImpossible, source: { file, field: qpath } });
      });
    });
  });
  if (examples.length === 0) {
    const why = report.skipped > 0 ? `all ${report.skipped} questions were skipped as bad` : 'it holds no questions';
    throw new DataError({ file, field: 'data' }, `empty dataset: ${why}.`);
  }
  return { examples, skipped: report.skipped, errors: report.errors };
}

/** Reads a SQuAD JSON file (Node). JSON is not line-based, so the file is read whole (a few MB). */
export async function readSquad(path: string, opts: SquadOptions = {}): Promise<Loaded<QaExample>> {
  return parseSquad(await readTextFile(path, { encoding: opts.encoding }), { ...opts, file: opts.file ?? path });
}
