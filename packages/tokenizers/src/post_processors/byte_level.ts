import { setSequenceId, type Encoding } from '../encoding';
import { optBool, type JsonContext, type JsonObject } from '../json_fields';
import type { PostProcessor } from './post_processor';
import { trimOffsets } from './trim_offsets';

/** HF ByteLevel post-processor: only trims the spaces out of the offsets; adds no special tokens. */
export class ByteLevelPostProcessor implements PostProcessor {
  constructor(readonly trimOffsets = true, readonly addPrefixSpace = true, readonly useRegex = true) {}

  static fromJSON(o: JsonObject, ctx: JsonContext): ByteLevelPostProcessor {
    return new ByteLevelPostProcessor(optBool(o, 'trim_offsets', ctx, true), optBool(o, 'add_prefix_space', ctx, true), optBool(o, 'use_regex', ctx, true));
  }

  addedTokens(): number {
    return 0;
  }

  processEncodings(encodings: Encoding[]): Encoding[] {
    encodings.forEach((e, i) => {
      if (this.trimOffsets) {
        trimOffsets(e, this.addPrefixSpace);
        for (const o of e.overflowing) trimOffsets(o, this.addPrefixSpace);
      }
      setSequenceId(e, i);
    });
    return encodings;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
