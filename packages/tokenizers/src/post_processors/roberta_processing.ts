import { setSequence, type Encoding } from '../encoding';
import { at, optBool, type JsonContext, type JsonObject } from '../json_fields';
import { tokenIdPair } from './bert_processing';
import type { PostProcessor } from './post_processor';
import { TemplateProcessing } from './template_processing';
import { trimOffsets } from './trim_offsets';

/** HF RobertaProcessing: <s> A </s> and <s> A </s> </s> B </s>, every type id 0, offsets trimmed of spaces. */
export class RobertaProcessing implements PostProcessor {
  private readonly template: TemplateProcessing;

  constructor(readonly sep: [string, number], readonly cls: [string, number], readonly trimOffsets = true, readonly addPrefixSpace = true) {
    const specials = new Map([
      [cls[0], { id: cls[0], ids: [cls[1]], tokens: [cls[0]] }],
      [sep[0], { id: sep[0], ids: [sep[1]], tokens: [sep[0]] }],
    ]);
    const c = { kind: 'special' as const, id: cls[0], typeId: 0 };
    const s = { kind: 'special' as const, id: sep[0], typeId: 0 };
    this.template = new TemplateProcessing(
      [c, { kind: 'sequence', id: 'A', typeId: 0 }, s],
      [c, { kind: 'sequence', id: 'A', typeId: 0 }, s, s, { kind: 'sequence', id: 'B', typeId: 0 }, s],
      specials,
    );
  }

  static fromJSON(o: JsonObject, ctx: JsonContext): RobertaProcessing {
    return new RobertaProcessing(tokenIdPair(o.sep, at(ctx, 'sep')), tokenIdPair(o.cls, at(ctx, 'cls')), optBool(o, 'trim_offsets', ctx, true), optBool(o, 'add_prefix_space', ctx, true));
  }

  addedTokens(isPair: boolean): number {
    return isPair ? 4 : 2;
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    if (this.trimOffsets) {
      for (const e of encodings) {
        trimOffsets(e, this.addPrefixSpace);
        for (const o of e.overflowing) trimOffsets(o, this.addPrefixSpace);
      }
    }
    if (!addSpecialTokens) {
      encodings.forEach((e, i) => setSequence(e, 0, i));
      return this.template.processEncodings(encodings, false);
    }
    return this.template.processEncodings(encodings, true);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'RobertaProcessing', sep: this.sep, cls: this.cls, trim_offsets: this.trimOffsets, add_prefix_space: this.addPrefixSpace };
  }
}
