// The fine-tuning form's numbers, checked before a run: 0 steps, a batch of 0 or a negative or absurd learning
// rate used to train anyway and end in NaN or "divide by zero".

export interface FineTuneSettings {
  steps: number;
  batchSize: number;
  learningRate: number;
}

export type FineTuneSetting = keyof FineTuneSettings;

/** The accepted ranges (also the form's min/max). AdamW above lr 1 only diverges. */
export const FINE_TUNE_LIMITS = {
  steps: { min: 1, max: 10_000 },
  batchSize: { min: 1, max: 128 },
  learningRate: { max: 1 },
} as const;

/** One message per bad setting, saying what is accepted and what was given; empty when all are fine. */
export function checkFineTuneSettings(s: { [K in FineTuneSetting]: number }, given: Partial<Record<FineTuneSetting, string>> = {}): Partial<Record<FineTuneSetting, string>> {
  const errors: Partial<Record<FineTuneSetting, string>> = {};
  const shown = (k: FineTuneSetting) => JSON.stringify(given[k] ?? String(s[k]));
  const wholeNumber = (k: 'steps' | 'batchSize', name: string) => {
    const { min, max } = FINE_TUNE_LIMITS[k];
    if (!Number.isInteger(s[k]) || s[k] < min || s[k] > max) errors[k] = `${name} must be a whole number from ${min} to ${max}; got ${shown(k)}.`;
  };
  wholeNumber('steps', 'Steps');
  wholeNumber('batchSize', 'Batch');
  const lr = s.learningRate;
  if (!Number.isFinite(lr) || lr <= 0 || lr > FINE_TUNE_LIMITS.learningRate.max) {
    errors.learningRate = `Learning rate must be above 0 and at most ${FINE_TUNE_LIMITS.learningRate.max} (fine-tuning uses about 1e-5 to 1e-2); got ${shown('learningRate')}.`;
  }
  return errors;
}

/** The form's text values as settings, or the errors to show next to each field. */
export function parseFineTuneSettings(text: Record<FineTuneSetting, string>): { settings?: FineTuneSettings; errors: Partial<Record<FineTuneSetting, string>> } {
  // Number('') is 0 and Number(' 3 ') is 3: an empty field is NaN here, so it is reported as empty, not as 0.
  const num = (v: string) => (v.trim() === '' ? NaN : Number(v));
  const settings = { steps: num(text.steps), batchSize: num(text.batchSize), learningRate: num(text.learningRate) };
  const errors = checkFineTuneSettings(settings, text);
  return Object.keys(errors).length ? { errors } : { settings, errors };
}
