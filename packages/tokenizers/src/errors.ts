/**
 * Raised for malformed tokenizer files (tokenizer.json, vocab.txt, vocab.json, merges.txt) and
 * invalid options. `file` names the source ("<inline>" when none was given), `field` the JSON path
 * or line that was wrong.
 */
export class TokenizerError extends Error {
  readonly file: string;
  readonly field: string;
  constructor(message: string, opts: { file?: string; field?: string } = {}) {
    const file = opts.file ?? '<inline>';
    const field = opts.field ?? '';
    super(`${file}${field ? ` [${field}]` : ''}: ${message}`);
    this.name = 'TokenizerError';
    this.file = file;
    this.field = field;
  }
}
