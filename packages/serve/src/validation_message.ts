/** The parts of an ajv error the message uses (Fastify passes ajv's ErrorObject). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** What to do about each limit, so a client knows which option or field to change. */
const HINTS: Record<string, string> = {
  maxLength: ' (the server\'s maxTextLength; shorten or split the text)',
  maxItems: ' (the server\'s maxBatchItems; split the batch into several requests)',
  minItems: ' (send at least one input)',
};

/**
 * ajv errors → one line naming each offending field, e.g. `body/inputs/3 must be string or object`,
 * `body/text must NOT have more than 10000 characters (the server's maxTextLength; ...)`.
 */
export function validationMessage(errors: readonly SchemaError[], dataVar: string): string {
  return errors
    .map((e) => {
      const where = `${dataVar}${e.instancePath}`;
      switch (e.keyword) {
        case 'type':
          return `${where} must be ${[e.params.type].flat().join(' or ')}`;
        case 'additionalProperties':
          return `${where} has an unknown field "${String(e.params.additionalProperty)}"`;
        case 'pattern':
          // The built-in schemas use \S for "not blank"; other patterns keep ajv's wording.
          if (e.params.pattern === '\\S') return `${where} must not be blank`;
          return `${where} ${e.message ?? 'must match its pattern'}`;
        case 'required':
          return `${where} must have "${String(e.params.missingProperty)}"`;
        default:
          return `${where} ${e.message ?? e.keyword}${HINTS[e.keyword] ?? ''}`;
      }
    })
    .join('; ');
}
