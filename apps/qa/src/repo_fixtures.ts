import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's fixtures/ (apps run from src/ in tests and from dist/ when built: both are two levels down). */
export const REPO_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures');
