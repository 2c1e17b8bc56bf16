import { TokenizerError } from './errors';

/** Where a JSON object came from, so that a bad field can be named in the error. */
export interface JsonContext {
  file: string;
  path: string;
}

export type JsonObject = Record<string, unknown>;

export function at(ctx: JsonContext, key: string | number): JsonContext {
  return { file: ctx.file, path: ctx.path ? `${ctx.path}.${key}` : String(key) };
}

function fail(ctx: JsonContext, expected: string, found: unknown): never {
  const shown = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 60) ?? String(found);
  throw new TokenizerError(`expected ${expected}, found ${shown}`, { file: ctx.file, field: ctx.path });
}

export function asObject(v: unknown, ctx: JsonContext): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(ctx, 'an object', v);
  return v as JsonObject;
}

export function asArray(v: unknown, ctx: JsonContext): unknown[] {
  if (!Array.isArray(v)) fail(ctx, 'an array', v);
  return v;
}

export function reqString(o: JsonObject, key: string, ctx: JsonContext): string {
  const v = o[key];
  if (typeof v !== 'string') fail(at(ctx, key), 'a string', v);
  return v;
}

export function optString(o: JsonObject, key: string, ctx: JsonContext, dflt: string | null): string | null {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string') fail(at(ctx, key), 'a string or null', v);
  return v;
}

export function optBool(o: JsonObject, key: string, ctx: JsonContext, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') fail(at(ctx, key), 'a boolean', v);
  return v;
}

export function optNullableBool(o: JsonObject, key: string, ctx: JsonContext): boolean | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') fail(at(ctx, key), 'a boolean or null', v);
  return v;
}

export function reqInt(o: JsonObject, key: string, ctx: JsonContext): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(at(ctx, key), 'a non-negative integer', v);
  return v;
}

export function optInt(o: JsonObject, key: string, ctx: JsonContext, dflt: number | null): number | null {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(at(ctx, key), 'a non-negative integer', v);
  return v;
}

export function reqType(o: JsonObject, ctx: JsonContext): string {
  return reqString(o, 'type', ctx);
}

/** A vocabulary object {token: id}: ids must be non-negative integers. */
export function asVocab(v: unknown, ctx: JsonContext): Map<string, number> {
  const o = asObject(v, ctx);
  const vocab = new Map<string, number>();
  for (const k of Object.keys(o)) {
    const id = o[k];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) fail(at(ctx, k), 'a non-negative integer id', id);
    vocab.set(k, id);
  }
  return vocab;
}

export { fail as failJson };

/** Deeper nesting than this is refused: the stage readers recurse (Sequence in Sequence) and would overflow the stack. Real files nest ~6 deep. */
export const MAX_JSON_DEPTH = 128;

/** Iterative, so that the check itself cannot overflow the stack. */
export function jsonDepthExceeds(root: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    if (Array.isArray(v)) {
      for (const child of v) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    } else for (const k in v) {
      const child = (v as Record<string, unknown>)[k];
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
