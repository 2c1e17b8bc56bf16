import { describe, expect, it } from 'vitest';
import { normalizeAnswer } from './normalize_answer';

// Expected values worked out by hand from the official script's four steps:
// lower → drop string.punctuation → re.sub(r'\b(a|an|the)\b', ' ') → ' '.join(split()).
describe('normalizeAnswer (official SQuAD normalisation)', () => {
  const cases: [string, string, string][] = [
    ['lowercases and drops ASCII punctuation', 'The Cat!', 'cat'],
    ['removes all three articles as whole words', 'A cat, an owl and the dog', 'cat owl and dog'],
    ['keeps articles inside words', 'another theory', 'another theory'],
    ['punctuation goes first, so "(the)" becomes an article', '(the) end', 'end'],
    ['apostrophes and dots vanish, joining letters', "don't U.S.A.", 'dont usa'],
    ['underscore is ASCII punctuation', 'the_cat', 'thecat'],
    ['a hyphen is removed without a space', 'state-of-the-art', 'stateoftheart'],
    ['curly quotes are not string.punctuation and stay', '“Hello”', '“hello”'],
    ['en dash stays; "a" next to it is still a whole word', 'a–b', '–b'],
    ['Unicode letters are word characters for \\b: "éthe" keeps "the"', 'éthe the', 'éthe'],
    ['digits are word characters too', '1the 2 a', '1the 2'],
    ['collapses runs of whitespace, tabs and newlines', '  x \t\n  y  ', 'x y'],
    ['no-break space is whitespace for str.split', 'x\u00a0y', 'x y'],
    ['U+0085 and U+001F are whitespace in Python', 'x\u0085y\u001fz', 'x y z'],
    ['U+FEFF is not whitespace in Python (unlike JS \\s)', 'x\ufeffy', 'x\ufeffy'],
    ['empty stays empty', '', ''],
    ['only articles and punctuation normalise to empty', 'The, a; an!', ''],
  ];
  for (const [name, input, expected] of cases) it(name, () => expect(normalizeAnswer(input)).toBe(expected));
});
