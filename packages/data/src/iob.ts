/**
 * Converts IOB1 tags (I- opens an entity unless it follows the same type; B- only between two
 * adjacent entities of one type) to IOB2 (every entity opens with B-), as the original CoNLL-2003
 * release needs. Tags already in IOB2 come out unchanged.
 */
export function iob1ToIob2(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    if (tag.startsWith('I-')) {
      const type = tag.slice(2);
      const prev = i > 0 ? out[i - 1]! : 'O';
      const continues = prev !== 'O' && prev.slice(2) === type;
      out.push(continues ? tag : `B-${type}`);
    } else out.push(tag);
  }
  return out;
}
