import type { InputSchema, JsonSchema } from './input_schema';

export interface RequestLimits {
  /** Longest string field, in UTF-16 code units. */
  maxTextLength: number;
  /** Most inputs in one `{"inputs": [...]}` request. */
  maxBatchItems: number;
}

/** The parsed body of `POST /predict`: inputs in order, and whether it was the one-input form. */
export interface PredictRequest<I> {
  inputs: I[];
  single: boolean;
}

/** A body that passed the JSON schema but is neither form; the message says what to send. */
export class PredictRequestError extends Error {
  override name = 'PredictRequestError';
  readonly statusCode = 400;
}

function withLimits(fields: Readonly<Record<string, JsonSchema>>, limits: RequestLimits): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, s]) => [name, s.type === 'string' && s.maxLength === undefined ? { ...s, maxLength: limits.maxTextLength } : s]),
  );
}

/**
 * JSON schema of `POST /predict`'s body: one input's fields, or `inputs`. Which of the two was sent
 * is checked by parsePredictRequest, where the message can name the fields.
 */
export function predictBodySchema(schema: InputSchema<unknown>, limits: RequestLimits): JsonSchema {
  const fields = withLimits(schema.fields, limits);
  const object = { properties: fields, required: [...schema.required], additionalProperties: false };
  // type [string, object]: `maxLength` binds only strings, `properties` only objects, so no anyOf
  // (whose errors list every branch) is needed for text tasks' bare strings.
  // A bare string is the text itself, so it is held to the text field's rule: not blank.
  const item = schema.bareString ? { type: ['string', 'object'], maxLength: limits.maxTextLength, pattern: '\\S', ...object } : { type: 'object', ...object };
  return {
    type: 'object',
    properties: { ...fields, inputs: { type: 'array', minItems: 1, maxItems: limits.maxBatchItems, items: item } },
    additionalProperties: false,
  };
}

/** A schema-valid body → inputs, or a PredictRequestError saying which form to send. */
export function parsePredictRequest<I>(schema: InputSchema<I>, body: Record<string, unknown>): PredictRequest<I> {
  const fieldNames = Object.keys(schema.fields);
  const given = fieldNames.filter((f) => body[f] !== undefined);
  const oneForm = `{${schema.required.map((f) => `"${f}": ...`).join(', ')}}`;
  if (body.inputs !== undefined) {
    if (given.length > 0) {
      throw new PredictRequestError(`body has both "inputs" and ${given.map((f) => `"${f}"`).join(', ')}; send one input as ${oneForm} or a batch as {"inputs": [...]}, not both.`);
    }
    return { inputs: (body.inputs as Array<string | Record<string, unknown>>).map((v) => schema.toInput(v)), single: false };
  }
  const missing = schema.required.filter((f) => body[f] === undefined);
  if (missing.length > 0) {
    throw new PredictRequestError(
      `body must have ${missing.map((f) => `"${f}"`).join(' and ')} (one input, ${oneForm}) or "inputs" (a batch); got ${Object.keys(body).length === 0 ? 'an empty object' : `keys ${Object.keys(body).join(', ')}`}.`,
    );
  }
  return { inputs: [schema.toInput(body)], single: true };
}
