import { DataError, type SourceLocation } from './data_error';

/** The label fields of a Hugging Face `config.json`; keys of id2label are stringified ids. */
export interface LabelConfig {
  id2label: Record<string, string>;
  label2id: Record<string, number>;
}

/**
 * A fixed mapping between label strings and class ids, saved with the model as HF's
 * `id2label` / `label2id` so that predictions print as labels after reloading.
 */
export class LabelMap {
  private readonly ids: Map<string, number>;

  private constructor(readonly labels: readonly string[]) {
    this.ids = new Map(labels.map((l, i) => [l, i]));
    if (this.ids.size !== labels.length) {
      const dup = labels.find((l, i) => labels.indexOf(l) !== i);
      throw new DataError({ file: '<labels>' }, `label ${JSON.stringify(dup)} appears twice; labels must be unique.`);
    }
  }

  /** Ids follow the given order. */
  static fromLabels(labels: readonly string[]): LabelMap {
    return new LabelMap([...labels]);
  }

  /**
   * Collects the distinct labels seen in data. Sorted by default, as HF's run_glue / run_ner do,
   * so that the same data always gives the same ids.
   */
  static fromData(labels: Iterable<string>, opts: { sort?: boolean } = {}): LabelMap {
    const seen = [...new Set(labels)];
    if (opts.sort ?? true) seen.sort();
    return new LabelMap(seen);
  }

  /** Rebuilds from HF config fields; `id2label` decides, `label2id` must agree when present. */
  static fromConfig(config: Partial<LabelConfig>, file = 'config.json'): LabelMap {
    const id2label = config.id2label;
    if (!id2label) throw new DataError({ file, field: 'id2label' }, 'missing "id2label"; cannot know the label names.');
    const n = Object.keys(id2label).length;
    const labels: string[] = [];
    for (let i = 0; i < n; i++) {
      const l = id2label[String(i)];
      if (l === undefined) throw new DataError({ file, field: `id2label.${i}` }, `ids must run 0..${n - 1}; id ${i} is missing.`);
      labels.push(l);
    }
    const map = new LabelMap(labels);
    for (const [label, id] of Object.entries(config.label2id ?? {})) {
      if (map.ids.get(label) !== id) {
        throw new DataError({ file, field: `label2id.${label}` }, `label2id says ${id} but id2label says ${map.ids.get(label)}; the two disagree.`);
      }
    }
    return map;
  }

  get numLabels(): number {
    return this.labels.length;
  }

  has(label: string): boolean {
    return this.ids.has(label);
  }

  /** The id of a label; an unknown label is a DataError naming where it came from and the known list. */
  id(label: string, where: SourceLocation = { file: '<input>' }): number {
    const id = this.ids.get(label);
    if (id === undefined) {
      throw new DataError(
        { ...where, field: where.field ?? 'label' },
        `unknown label ${JSON.stringify(label)}; known labels are ${JSON.stringify(this.labels)}.`,
      );
    }
    return id;
  }

  label(id: number): string {
    const l = this.labels[id];
    if (l === undefined) throw new RangeError(`class id ${id} is outside 0..${this.labels.length - 1}.`);
    return l;
  }

  toConfig(): LabelConfig {
    const id2label: Record<string, string> = {};
    const label2id: Record<string, number> = {};
    this.labels.forEach((l, i) => {
      id2label[String(i)] = l;
      label2id[l] = i;
    });
    return { id2label, label2id };
  }

  toJSON(): LabelConfig {
    return this.toConfig();
  }
}
