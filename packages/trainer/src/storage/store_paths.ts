// Path helpers for TrainerStore: '/'-separated, no node:path, so stores run in a browser.

/** Joins path parts with '/' (no node:path, so it works in the browser; Node accepts '/' on every platform). */
export function joinPath(...parts: string[]): string {
  return normalizePath(parts.filter((p) => p !== '').join('/'));
}

/** Collapses repeated separators and '.' segments and drops a trailing '/'. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const segments = path.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  const joined = segments.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** The directory part of a path. */
export function parentPath(path: string): string {
  const p = normalizePath(path);
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}

/** A string as UTF-8 bytes, bytes as they are. */
export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}
