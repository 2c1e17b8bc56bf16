/** A token produced by a model or matched as an added token; offsets are units of its piece's normalized text. */
export interface Token {
  id: number;
  value: string;
  start: number;
  end: number;
}
