import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoPath } from './repo_path';

describe('repoPath', () => {
  it('finds the checkout from any depth below it', () => {
    const root = resolve(__dirname, '..', '..', '..');
    expect(repoPath(import.meta.url, 'fixtures')).toBe(resolve(root, 'fixtures'));
    expect(repoPath(pathToFileURL(resolve(root, 'apps', 'ner', 'src', 'commands', 'train.ts')).href, 'models', 'x')).toBe(resolve(root, 'models', 'x'));
  });

  it('outside a checkout: three levels up from the module', () => {
    expect(repoPath(pathToFileURL('/nowhere/app/dist/cli.js').href, 'fixtures')).toBe(resolve('/nowhere/app/dist', '..', '..', '..', 'fixtures'));
  });
});
