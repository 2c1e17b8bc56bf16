// Text with character spans marked (entities, a QA answer), built as DOM nodes so the text is never parsed as HTML.

export interface Span {
  start: number;
  end: number;
  label: string;
}

/** Fills `el` with `text`, wrapping each (non-overlapping, sorted) span in <mark title=label data-label=label>. */
export function renderHighlighted(el: HTMLElement, text: string, spans: readonly Span[]): void {
  el.replaceChildren();
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    if (s.start > at) el.append(text.slice(at, s.start));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(s.start, s.end);
    mark.title = s.label;
    mark.dataset.label = s.label;
    const tag = document.createElement('sup');
    tag.textContent = s.label;
    mark.append(tag);
    el.append(mark);
    at = s.end;
  }
  if (at < text.length) el.append(text.slice(at));
}
