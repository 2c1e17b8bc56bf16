/** Turns tokens back into text: decodeChain maps tokens to pieces that are then concatenated. */
export interface Decoder {
  decodeChain(tokens: string[]): string[];
  toJSON(): Record<string, unknown>;
}
