const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** String.prototype.toWellFormed (Node 20+), with a fallback for older engines: lone surrogates become U+FFFD, as on their way into Rust. */
export function toWellFormed(s: string): string {
  const native = (s as unknown as { toWellFormed?: () => string }).toWellFormed;
  return native ? native.call(s) : s.replace(LONE_SURROGATE, '\ufffd');
}
