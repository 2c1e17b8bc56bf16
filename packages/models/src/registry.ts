import { UnsupportedArchitectureError } from './checkpoint_errors';
import { ConfigError, type ConfigClass, type PretrainedConfig } from './pretrained_config';
import type { ModelTask, PreTrainedModelClass } from './pretrained_model';
import { BUILTIN_FAMILIES } from './families';

/**
 * A model family as the registry knows it: config.json's `model_type`, its config class, and one class per
 * architecture. `aliases` maps further HF architecture names onto a task this family has a class for
 * (BertForPreTraining checkpoints load as BertForMaskedLM).
 */
export interface ModelFamily {
  modelType: string;
  configClass: ConfigClass;
  models: readonly PreTrainedModelClass[];
  aliases?: Readonly<Record<string, ModelTask>>;
  /** HF's tokenizer class for this family (tokenizer_config.json's tokenizer_class), e.g. 'RobertaTokenizer'. */
  tokenizerClass?: string;
  /** Named sizes to start from random weights (`bert-tiny`: config.json fields), as KerasHub presets. */
  presets?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const families = new Map<string, ModelFamily>();
let builtinsRegistered = false;

function ensureBuiltins(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  for (const f of BUILTIN_FAMILIES) registerFamily(f);
}

/** Makes a family loadable by loadModel / createModel; refuses a model_type or architecture already registered. */
export function registerFamily(family: ModelFamily): void {
  ensureBuiltins();
  if (families.has(family.modelType)) {
    throw new UnsupportedArchitectureError(`A model family with model_type "${family.modelType}" is already registered.`);
  }
  const taken = new Set(registeredArchitectures());
  for (const cls of family.models) {
    if (!cls.architecture) throw new UnsupportedArchitectureError(`registerFamily("${family.modelType}"): a model class has no static architecture name.`);
    if (taken.has(cls.architecture)) throw new UnsupportedArchitectureError(`Architecture "${cls.architecture}" is already registered.`);
  }
  families.set(family.modelType, family);
}

/** Every registered family, builtins first. */
export function registeredFamilies(): ModelFamily[] {
  ensureBuiltins();
  return [...families.values()];
}

/** Every architecture name loadModel accepts. */
export function registeredArchitectures(): string[] {
  return [...families.values()].flatMap((f) => [...f.models.map((m) => m.architecture), ...Object.keys(f.aliases ?? {})]);
}

/** The family of a model_type, or an error listing the registered ones. */
export function familyOf(modelType: string, source = 'config.json'): ModelFamily {
  ensureBuiltins();
  const f = families.get(modelType);
  if (!f) {
    throw new UnsupportedArchitectureError(
      `${source}: model_type "${modelType}" is not a registered model family; registered: ${[...families.keys()].join(', ')}. ` +
        'A new family is added with registerFamily().',
    );
  }
  return f;
}

/** The family's class for a task, or an error naming the tasks it has. */
export function classForTask(family: ModelFamily, task: ModelTask, source = 'config.json'): PreTrainedModelClass {
  const cls = family.models.find((m) => m.task === task);
  if (!cls) {
    throw new UnsupportedArchitectureError(
      `${source}: the ${family.modelType} family has no ${task} head; it has: ${family.models.map((m) => `${m.architecture} (${m.task})`).join(', ')}.`,
    );
  }
  return cls;
}

/** The family and class an HF architecture name stands for, if registered. */
export function findArchitecture(name: string): { family: ModelFamily; cls: PreTrainedModelClass } | undefined {
  ensureBuiltins();
  for (const family of families.values()) {
    const cls = family.models.find((m) => m.architecture === name);
    if (cls) return { family, cls };
    const aliasTask = family.aliases?.[name];
    if (aliasTask) return { family, cls: classForTask(family, aliasTask) };
  }
  return undefined;
}

/** Every preset name of every registered family (`bert-tiny`, ...). */
export function registeredPresets(): string[] {
  ensureBuiltins();
  return [...families.values()].flatMap((f) => Object.keys(f.presets ?? {}));
}

/** A preset's config with config.json overrides (vocab_size, labels, dropout), from whichever family has it. */
export function presetConfig(name: string, overrides: Record<string, unknown> = {}): PretrainedConfig {
  ensureBuiltins();
  for (const family of families.values()) {
    const preset = family.presets?.[name];
    if (preset) return family.configClass.fromJSON({ ...preset, ...overrides }, `preset ${name}`);
  }
  throw new ConfigError(`Unknown preset "${name}"; registered presets: ${registeredPresets().join(', ')}.`);
}
