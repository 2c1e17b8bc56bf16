import { readTextFile } from './line_reader';

// Jane Eyre writes "***START OF" without the space.
const START = /^\*\*\* ?START OF/;
const END = /^\*\*\* ?END OF/;

/**
 * The body of a Project Gutenberg book: BOM and CRLF removed, only the lines between the
 * "*** START OF" and "*** END OF" markers kept. Text without markers is returned whole.
 */
export function stripGutenberg(text: string): string {
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r?\n/);
  const start = lines.findIndex((l) => START.test(l));
  const endRel = lines.slice(start + 1).findIndex((l) => END.test(l));
  const end = endRel < 0 ? lines.length : start + 1 + endRel;
  return lines.slice(start + 1, end).join('\n');
}

/** Paragraphs separated by blank lines, with hard line wraps joined by spaces. */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p.length > 0);
}

/** Reads a Gutenberg book (Node) and returns its body's paragraphs. */
export async function readGutenbergParagraphs(path: string): Promise<string[]> {
  return splitParagraphs(stripGutenberg(await readTextFile(path)));
}
