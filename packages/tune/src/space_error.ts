/** A search space (or a space file) that cannot be searched; the message names the file and field. */
export class SpaceError extends Error {
  override name = 'SpaceError';
}
