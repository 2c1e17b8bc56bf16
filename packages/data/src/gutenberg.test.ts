import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readGutenbergParagraphs, splitParagraphs, stripGutenberg } from './gutenberg';

const fixture = fileURLToPath(new URL('../../../fixtures/data/gutenberg-frankenstein-excerpt.txt', import.meta.url));

describe('Gutenberg text', () => {
  it('drops BOM, CRLF, header and footer', () => {
    const raw = readFileSync(fixture, 'utf8');
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    expect(raw).toContain('\r\n');
    const body = stripGutenberg(raw);
    expect(body).not.toContain('\r');
    expect(body).not.toMatch(/\*\*\*|This eBook is for the use of anyone/);
    expect(body).toContain('Frankenstein;');
  });

  it('matches "***START OF" without the space (Jane Eyre)', () => {
    const text = 'header\r\n***START OF THE PROJECT GUTENBERG EBOOK JANE EYRE***\r\nReader, I married him.\r\n***END OF THE PROJECT GUTENBERG EBOOK***\r\nlicense\r\n';
    expect(stripGutenberg(text)).toBe('Reader, I married him.');
  });

  it('joins hard-wrapped lines into paragraphs', async () => {
    expect(splitParagraphs('one\ntwo\n\n\nthree  \n')).toEqual(['one two', 'three']);
    const paragraphs = await readGutenbergParagraphs(fixture);
    expect(paragraphs.length).toBeGreaterThan(3);
    expect(paragraphs.every((p) => !p.includes('\n'))).toBe(true);
  });
});
