// The Generate section: a causal LM (GPT-2, Llama) continues the prompt token by token, each token shown as it
// comes (streamGenerate lets the page paint and take a Stop click between tokens). The default model is the micro
// GPT-2 test fixture (random weights: the text is noise, the mechanics are real) with a 1,024-id byte-level BPE;
// any HF-layout folder of a causal LM can be loaded by URL instead.
import { tf } from '@attn/tensor';
import { loadModelFromBytes, streamGenerate, type TaskModel, type CausalLanguageModel } from '@attn/models';
import { Tokenizer } from '@attn/tokenizers';
import gptConfigUrl from '../../../models/attn-gpt2-tiny/config.json?url';
import gptWeightsUrl from '../../../models/attn-gpt2-tiny/model.safetensors?url';
import gptTokenizerUrl from '../../../models/attn-gpt2-tiny/tokenizer.json?url';
import { loadCheckpointFromUrl, ModelSourceError, type LoadedCheckpoint } from './model_source';
import { generationOptions, parseGenerationSettings, type GenerationSetting } from './generation_settings';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const SETTING_INPUTS: Record<GenerationSetting, string> = { maxNewTokens: 'gen-max', temperature: 'gen-temperature', topK: 'gen-topk', repetitionPenalty: 'gen-rep' };

export const DEFAULT_GENERATION_MODEL = 'attn-gpt2-tiny (models/: a 2 M-parameter GPT-2 pretrained by attn on 11 Gutenberg books, 4,096-token byte-level BPE; small, so its text is weak)';

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new ModelSourceError(`GET ${url} answered ${res.status} ${res.statusText}.`);
  return res;
}

async function loadDefaultGenerationCheckpoint(): Promise<LoadedCheckpoint> {
  const [config, weights, tokenizerJson] = await Promise.all([fetchOk(gptConfigUrl).then((r) => r.text()), fetchOk(gptWeightsUrl).then((r) => r.arrayBuffer()), fetchOk(gptTokenizerUrl).then((r) => r.text())]);
  return { checkpoint: { config, safetensors: new Uint8Array(weights) }, tokenizerJson, tokenizer: Tokenizer.fromJSON(tokenizerJson, 'attn-gpt2-tiny/tokenizer.json'), description: DEFAULT_GENERATION_MODEL };
}

type Action = (label: string, fn: () => Promise<void> | void) => Promise<void>;
type CausalModel = TaskModel & CausalLanguageModel & { config: TaskModel['config'] & { eosTokenId?: number | number[] | null; maxPositionEmbeddings?: number } };

export class GenerationTab {
  private source: LoadedCheckpoint | undefined;
  private model: CausalModel | undefined;
  /** The backend the model's weights live on: a backend switch rebuilds it from the checkpoint bytes. */
  private modelBackend = '';
  private running = false;
  private stopRequested = false;

  wire(action: Action): void {
    $('gen-run').addEventListener('click', () => void action('Generating', () => this.run()));
    $('gen-stop').addEventListener('click', () => (this.stopRequested = true));
    $('gen-url-load').addEventListener('click', () => void action('Loading the generation model', () => this.loadUrl($<HTMLInputElement>('gen-url').value)));
    for (const id of [...Object.values(SETTING_INPUTS), 'gen-prompt', 'gen-greedy']) $(id).addEventListener('input', () => this.readSettings());
    $('gen-note').textContent = `Model: ${DEFAULT_GENERATION_MODEL}; fetched when you first generate. Its text is noise: the page shows how tokens stream, not what a trained model says.`;
  }

  private async loadUrl(url: string): Promise<void> {
    const next = await loadCheckpointFromUrl(url);
    this.useSource(next);
    this.buildModel();
    $('gen-note').textContent = `Model: ${next.description} (${this.model!.architecture}).`;
  }

  private useSource(next: LoadedCheckpoint): void {
    this.model?.dispose();
    this.model = undefined;
    this.source = next;
  }

  private buildModel(): CausalModel {
    if (this.model && this.modelBackend === tf.getBackend()) return this.model;
    this.model?.dispose();
    const model = loadModelFromBytes(this.source!.checkpoint, { task: 'causal-lm', quiet: true }) as CausalModel;
    model.eval();
    this.model = model;
    this.modelBackend = tf.getBackend();
    return model;
  }

  /** Tokens the model's context has left after the prompt (GPT-2 n_positions, Llama max_position_embeddings). */
  private room(promptTokens: number): number {
    const c = this.model?.config;
    const context = c?.maxPositionEmbeddings ?? 64;
    return context - promptTokens;
  }

  /** The form's settings with each bad one's message beside its field; undefined while any is bad. */
  private readSettings() {
    const greedy = $<HTMLInputElement>('gen-greedy').checked;
    for (const id of ['gen-temperature', 'gen-topk']) $<HTMLInputElement>(id).disabled = greedy;
    const prompt = $<HTMLTextAreaElement>('gen-prompt').value;
    const promptTokens = this.source ? this.source.tokenizer.encode(prompt).ids.length : 0;
    const text = Object.fromEntries(Object.entries(SETTING_INPUTS).map(([k, id]) => [k, $<HTMLInputElement>(id).value])) as Record<GenerationSetting, string>;
    const { settings, errors } = parseGenerationSettings(text, greedy, this.room(promptTokens));
    for (const [k, id] of Object.entries(SETTING_INPUTS) as Array<[GenerationSetting, string]>) {
      $(`${id}-error`).textContent = errors[k] ?? '';
      $(id).setAttribute('aria-invalid', String(errors[k] !== undefined));
    }
    $<HTMLButtonElement>('gen-run').disabled = this.running || (this.source !== undefined && !settings);
    return settings;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    if (!this.source) this.useSource(await loadDefaultGenerationCheckpoint());
    const model = this.buildModel();
    const prompt = $<HTMLTextAreaElement>('gen-prompt').value;
    if (prompt === '') throw new ModelSourceError('Type a prompt first: generation continues it.');
    const settings = this.readSettings();
    if (!settings) throw new ModelSourceError('Fix the settings marked in red first.');
    const tokenizer = this.source!.tokenizer;
    const promptIds = tokenizer.encode(prompt).ids;
    const out = $('gen-output');
    const status = $('gen-status');
    out.textContent = '';
    for (const k of ['tokens', 'done', 'stopped', 'tensorsBefore', 'tensorsAfter']) delete out.dataset[k];
    out.dataset.tensorsBefore = String(tf.memory().numTensors);
    this.running = true;
    this.stopRequested = false;
    $<HTMLButtonElement>('gen-run').disabled = true;
    $<HTMLButtonElement>('gen-stop').disabled = false;
    const newIds: number[] = [];
    const t0 = performance.now();
    try {
      for await (const step of streamGenerate(model, [promptIds], generationOptions(settings))) {
        newIds.push(step.tokens[0]!);
        // The whole continuation is decoded each time: a byte-level character can span two tokens.
        out.textContent = tokenizer.decode(newIds, { skipSpecialTokens: true });
        out.dataset.tokens = JSON.stringify(newIds);
        status.textContent = `${newIds.length} tokens, ${((1000 * newIds.length) / (performance.now() - t0)).toFixed(1)} tokens/s on ${this.modelBackend}`;
        if (this.stopRequested) {
          out.dataset.stopped = '1';
          break; // ends the generator, which frees the KV cache
        }
      }
      status.textContent = `${out.dataset.stopped ? 'Stopped after' : 'Done:'} ${newIds.length} tokens in ${((performance.now() - t0) / 1000).toFixed(2)} s on ${this.modelBackend}.`;
    } finally {
      this.running = false;
      $<HTMLButtonElement>('gen-stop').disabled = true;
      out.dataset.tensorsAfter = String(tf.memory().numTensors);
      out.dataset.done = '1';
      this.readSettings();
    }
  }
}
