import { TokenizerError } from './errors';

/** Reads a UTF-8 file in Node; loaded lazily so that the package stays usable in browsers. */
export async function readTextFile(path: string): Promise<string> {
  const fs = await import('node:fs/promises');
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new TokenizerError(`cannot read the file: ${(e as Error).message}`, { file: path });
  }
}
