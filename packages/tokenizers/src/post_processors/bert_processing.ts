import type { Encoding } from '../encoding';
import { asArray, at, failJson, type JsonContext, type JsonObject } from '../json_fields';
import type { PostProcessor } from './post_processor';
import { TemplateProcessing } from './template_processing';

export function tokenIdPair(v: unknown, ctx: JsonContext): [string, number] {
  const a = asArray(v, ctx);
  if (a.length !== 2 || typeof a[0] !== 'string' || typeof a[1] !== 'number') failJson(ctx, '["token", id]', v);
  return [a[0] as string, a[1] as number];
}

/** HF BertProcessing: [CLS] A [SEP] and [CLS] A [SEP] B [SEP], B with type id 1. */
export class BertProcessing implements PostProcessor {
  private readonly template: TemplateProcessing;

  constructor(readonly sep: [string, number], readonly cls: [string, number]) {
    const specials = new Map([
      [cls[0], { id: cls[0], ids: [cls[1]], tokens: [cls[0]] }],
      [sep[0], { id: sep[0], ids: [sep[1]], tokens: [sep[0]] }],
    ]);
    const c = { kind: 'special' as const, id: cls[0] };
    const s = { kind: 'special' as const, id: sep[0] };
    this.template = new TemplateProcessing(
      [{ ...c, typeId: 0 }, { kind: 'sequence', id: 'A', typeId: 0 }, { ...s, typeId: 0 }],
      [{ ...c, typeId: 0 }, { kind: 'sequence', id: 'A', typeId: 0 }, { ...s, typeId: 0 }, { kind: 'sequence', id: 'B', typeId: 1 }, { ...s, typeId: 1 }],
      specials,
    );
  }

  static fromJSON(o: JsonObject, ctx: JsonContext): BertProcessing {
    return new BertProcessing(tokenIdPair(o.sep, at(ctx, 'sep')), tokenIdPair(o.cls, at(ctx, 'cls')));
  }

  addedTokens(isPair: boolean): number {
    return isPair ? 3 : 2;
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    return this.template.processEncodings(encodings, addSpecialTokens);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'BertProcessing', sep: this.sep, cls: this.cls };
  }
}
