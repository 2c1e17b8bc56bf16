/** A JSON Schema fragment (draft-07, as Fastify's ajv reads it). */
export type JsonSchema = Record<string, unknown>;

/**
 * How one input looks in a request. `POST /predict` takes either one input as the body itself
 * (`{"text": "..."}`) or a batch (`{"inputs": [...]}`), so the server builds both forms from this.
 */
export interface InputSchema<I> {
  /** Fields of one input as a JSON object, e.g. `{ text: { type: 'string' } }`. String fields get maxTextLength. */
  readonly fields: Readonly<Record<string, JsonSchema>>;
  /** Fields every input must have. */
  readonly required: readonly string[];
  /** Whether an item of `inputs` may also be a bare string (text tasks: `{"inputs": ["a", "b"]}`); it must not be blank. */
  readonly bareString: boolean;
  /** A validated JSON input → what the predictor takes. */
  toInput(value: string | Record<string, unknown>): I;
}

/** What text-classification and token-classification predictors take. */
export interface TextInput {
  text: string;
  /** Second text of a pair (sentence-pair classification). */
  textPair?: string;
}

/** `{"text": "..."}`, or a bare string inside `inputs` (token classification). */
export const textInputSchema: InputSchema<TextInput> = {
  // A blank text would still get a label (or an empty entity list): a 400 says so instead.
  fields: { text: { type: 'string', pattern: '\\S' } },
  required: ['text'],
  bareString: true,
  toInput: (value) => ({ text: typeof value === 'string' ? value : (value.text as string) }),
};

/** `{"text": "...", "text_pair"?: "..."}`, or a bare string inside `inputs` (sequence classification). */
export const textPairInputSchema: InputSchema<TextInput> = {
  fields: { text: { type: 'string', pattern: '\\S' }, text_pair: { type: 'string' } },
  required: ['text'],
  bareString: true,
  toInput(value) {
    if (typeof value === 'string') return { text: value };
    const input: TextInput = { text: value.text as string };
    if (typeof value.text_pair === 'string') input.textPair = value.text_pair;
    return input;
  },
};

/** `{"question": "...", "context": "..."}`, both non-blank. */
export const questionAnsweringInputSchema: InputSchema<{ question: string; context: string }> = {
  // A blank question or context has no answer span; reject it here rather than fail a whole batch.
  fields: { question: { type: 'string', pattern: '\\S' }, context: { type: 'string', pattern: '\\S' } },
  required: ['question', 'context'],
  bareString: false,
  toInput(value) {
    const v = value as Record<string, unknown>;
    return { question: v.question as string, context: v.context as string };
  },
};

/** The schema createServer uses when none is given, by the predictor's task; plain text otherwise. */
export function defaultInputSchema(task: string): InputSchema<unknown> {
  if (task === 'question-answering') return questionAnsweringInputSchema as InputSchema<unknown>;
  if (task === 'text-classification') return textPairInputSchema as InputSchema<unknown>;
  return textInputSchema as InputSchema<unknown>;
}
