import { TokenizerError } from '../errors';
import { setSequence, type Encoding } from '../encoding';
import { asArray, asObject, at, failJson, type JsonContext, type JsonObject } from '../json_fields';
import type { PostProcessor } from './post_processor';
import { specialEncoding } from './special_encoding';

export type TemplatePiece = { kind: 'sequence'; id: 'A' | 'B'; typeId: number } | { kind: 'special'; id: string; typeId: number };

export interface SpecialTokenSpec {
  id: string;
  ids: number[];
  tokens: string[];
}

/** Parses "[CLS]:0 $A:0 [SEP]:0" (HF's string template form). */
export function parseTemplate(s: string): TemplatePiece[] {
  return s
    .split(/\s+/)
    .filter((p) => p.length > 0)
    .map((p): TemplatePiece => {
      const m = /^(.*?)(?::(\d+))?$/.exec(p)!;
      const name = m[1]!;
      const typeId = m[2] ? Number(m[2]) : 0;
      if (name === '$A' || name === '$') return { kind: 'sequence', id: 'A', typeId };
      if (name === '$B') return { kind: 'sequence', id: 'B', typeId };
      if (/^\$\d+$/.test(name)) return { kind: 'sequence', id: 'A', typeId: Number(name.slice(1)) };
      return { kind: 'special', id: name, typeId };
    });
}

function piecesFromJSON(v: unknown, ctx: JsonContext): TemplatePiece[] {
  if (typeof v === 'string') return parseTemplate(v);
  return asArray(v, ctx).map((p, i) => {
    const pc = at(ctx, i);
    const o = asObject(p, pc);
    if (o.Sequence !== undefined) {
      const s = asObject(o.Sequence, at(pc, 'Sequence'));
      if (s.id !== 'A' && s.id !== 'B') failJson(at(at(pc, 'Sequence'), 'id'), '"A" or "B"', s.id);
      return { kind: 'sequence', id: s.id as 'A' | 'B', typeId: Number(s.type_id ?? 0) };
    }
    if (o.SpecialToken !== undefined) {
      const s = asObject(o.SpecialToken, at(pc, 'SpecialToken'));
      if (typeof s.id !== 'string') failJson(at(at(pc, 'SpecialToken'), 'id'), 'a string', s.id);
      return { kind: 'special', id: s.id, typeId: Number(s.type_id ?? 0) };
    }
    return failJson(pc, '{"Sequence": ...} or {"SpecialToken": ...}', p);
  });
}

/**
 * HF TemplateProcessing: the output is the template's pieces in order, $A / $B being the
 * sequences (with the template's type id) and the others special tokens.
 */
export class TemplateProcessing implements PostProcessor {
  constructor(
    readonly single: TemplatePiece[],
    readonly pair: TemplatePiece[],
    readonly specialTokens: Map<string, SpecialTokenSpec>,
    private readonly typeName = 'TemplateProcessing',
  ) {
    for (const p of [...single, ...pair]) {
      if (p.kind === 'special' && !specialTokens.has(p.id)) {
        throw new TokenizerError(`the template uses special token ${JSON.stringify(p.id)}, which special_tokens does not define`, { field: 'post_processor.special_tokens' });
      }
    }
  }

  static fromJSON(o: JsonObject, ctx: JsonContext): TemplateProcessing {
    const single = piecesFromJSON(o.single, at(ctx, 'single'));
    const pair = piecesFromJSON(o.pair, at(ctx, 'pair'));
    const st = new Map<string, SpecialTokenSpec>();
    const sctx = at(ctx, 'special_tokens');
    const so = asObject(o.special_tokens ?? {}, sctx);
    for (const k of Object.keys(so)) {
      const kc = at(sctx, k);
      const s = asObject(so[k], kc);
      const ids = asArray(s.ids, at(kc, 'ids')).map((x, i) => (typeof x === 'number' && Number.isInteger(x) ? x : failJson(at(at(kc, 'ids'), i), 'an integer id', x)));
      const tokens = asArray(s.tokens, at(kc, 'tokens')).map((x, i) => (typeof x === 'string' ? x : failJson(at(at(kc, 'tokens'), i), 'a string', x)));
      if (ids.length !== tokens.length) failJson(at(kc, 'tokens'), `${ids.length} tokens (as many as ids)`, tokens);
      st.set(k, { id: typeof s.id === 'string' ? s.id : k, ids, tokens });
    }
    try {
      return new TemplateProcessing(single, pair, st);
    } catch (e) {
      if (e instanceof TokenizerError) throw new TokenizerError(e.message.replace(/^.*?: /, ''), { file: ctx.file, field: sctx.path });
      throw e;
    }
  }

  // Special-token encodings are built once: mergeEncodings copies, never modifies, its inputs.
  private readonly specialCache = new Map<string, Encoding>();

  private special(id: string, typeId: number): Encoding {
    const key = `${typeId} ${id}`;
    let e = this.specialCache.get(key);
    if (!e) {
      const s = this.specialTokens.get(id)!;
      e = specialEncoding(s.ids, s.tokens, typeId);
      this.specialCache.set(key, e);
    }
    return e;
  }

  addedTokens(isPair: boolean): number {
    let n = 0;
    for (const p of isPair ? this.pair : this.single) if (p.kind === 'special') n += this.specialTokens.get(p.id)!.ids.length;
    return n;
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    const template = encodings.length === 2 ? this.pair : this.single;
    const parts: Encoding[] = [];
    for (const p of template) {
      if (p.kind === 'sequence') {
        const i = p.id === 'A' ? 0 : 1;
        const e = encodings[i];
        if (!e) continue;
        setSequence(e, p.typeId, i);
        parts.push(e);
      } else if (addSpecialTokens) {
        parts.push(this.special(p.id, p.typeId));
      }
    }
    return parts;
  }

  toJSON(): Record<string, unknown> {
    const pieces = (ps: TemplatePiece[]): unknown[] =>
      ps.map((p) => (p.kind === 'sequence' ? { Sequence: { id: p.id, type_id: p.typeId } } : { SpecialToken: { id: p.id, type_id: p.typeId } }));
    const special: Record<string, unknown> = {};
    for (const [k, s] of this.specialTokens) special[k] = { id: s.id, ids: s.ids, tokens: s.tokens };
    return { type: 'TemplateProcessing', single: pieces(this.single), pair: pieces(this.pair), special_tokens: special };
  }
}
