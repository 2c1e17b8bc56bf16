// Wires the page: each section calls one @attn package API; results also go into data-* attributes for the tests.
import { tf, type BackendName } from '@attn/tensor';
import { DataError, decodeBytes, parseDelimited, type ClassificationExample, type TextEncoding } from '@attn/data';
import { TextClassificationPipeline, TokenClassificationPipeline, QuestionAnsweringPipeline } from '@attn/pipelines';
import { toPretrainedBytesAsync } from '@attn/models';
import { lineChartSvg } from '@attn/metrics';
import { switchBackend } from './backend_switch';
import { DEFAULT_TASK_MODELS, loadCheckpointFromFiles, loadCheckpointFromUrl, loadDefaultCheckpoint, type LoadedCheckpoint } from './model_source';
import { TaskModels, type PlaygroundTask } from './task_models';
import { attentionMap, drawAttentionMap } from './attention_map';
import { renderHighlighted } from './highlight';
import { fineTuneClassifier, type FineTuneResult } from './fine_tune';
import { parseFineTuneSettings, type FineTuneSetting, type FineTuneSettings } from './fine_tune_settings';
import { downloadFiles, hfModelFiles } from './download';
import { classifyWithOnnxRuntime } from './onnx_runtime';
import { GenerationTab } from './generation_tab';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

let loaded: LoadedCheckpoint | undefined;
let models: TaskModels | undefined;
let examples: ClassificationExample[] = [];
/** The last data file picked, re-read when the encoding changes. */
let dataFile: File | undefined;
let trained: FineTuneResult | undefined;
let training = false;
let stopRequested = false;

const SETTING_INPUTS: Record<FineTuneSetting, string> = { steps: 'ft-steps', batchSize: 'ft-batch', learningRate: 'ft-lr' };

function setStatus(text: string, error = false): void {
  const s = $('status');
  s.textContent = text;
  s.className = error ? 'error' : 'muted';
}

/** Runs a UI action with the status line showing progress or the error. */
async function action(label: string, fn: () => Promise<void> | void): Promise<void> {
  setStatus(`${label}…`);
  document.body.dataset.busy = '1';
  await tf.nextFrame();
  try {
    const t0 = performance.now();
    await fn();
    setStatus(`${label}: done in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  } catch (e) {
    console.error(e);
    setStatus(`${label} failed: ${(e as Error).message}`, true);
  } finally {
    document.body.dataset.tensors = String(tf.memory().numTensors);
    delete document.body.dataset.busy;
  }
}

function useCheckpoint(next: LoadedCheckpoint): void {
  models?.dispose();
  loaded = next;
  models = new TaskModels(next);
  $('model-desc').textContent = next.description;
  const cls = models.get('classification');
  const fill = (id: string, n: number) => $(id).replaceChildren(...Array.from({ length: n }, (_, i) => new Option(String(i), String(i))));
  fill('attn-layer', cls.config.numHiddenLayers);
  fill('attn-head', cls.config.numAttentionHeads);
  $('cls-note').textContent = next.taskDefaults ? `Model: ${DEFAULT_TASK_MODELS.classification.name} — ${DEFAULT_TASK_MODELS.classification.score}.` : '';
  showTaskNote('ner');
  showTaskNote('qa');
}

/** Beside a section: its default model and dev score, or a warning when the page's checkpoint lacks the head. */
function showTaskNote(task: 'ner' | 'qa'): void {
  const note = $(`${task}-note`);
  const d = DEFAULT_TASK_MODELS[task];
  note.dataset.model = models!.pending(task) ? '' : models!.source(task) === loaded ? 'page' : d.name;
  if (loaded!.taskDefaults?.[task]) {
    note.textContent = `Model: ${d.name} — ${d.score}.${models!.pending(task) ? ' Fetched when you first run this section.' : ''}`;
  } else if (!models!.hasHead(task)) {
    note.textContent =
      task === 'ner'
        ? 'This checkpoint has no token-classification head: a random one (CoNLL tags) is used, so entities are noise.'
        : 'This checkpoint has no question-answering head: a random one is used, so the answer is noise.';
  } else {
    note.textContent = '';
  }
}

/** The task's model, fetching its own default checkpoint the first time the section runs. */
async function taskModel(task: PlaygroundTask) {
  const waiting = models!.pending(task);
  await models!.prepare(task);
  if (waiting && (task === 'ner' || task === 'qa')) showTaskNote(task);
  return { model: models!.get(task), tokenizer: models!.tokenizer(task) };
}

async function useBackend(name?: BackendName): Promise<void> {
  const active = await switchBackend(name);
  $('backend-status').textContent = active;
  document.body.dataset.backend = active;
  // Weights live on the previous backend: rebuild the models on the new one from the checkpoint bytes.
  if (loaded) useCheckpoint(loaded);
}

// Every read-back is asynchronous (predictAsync, await data()): webgpu's synchronous read is slow on any GPU, and in
// headless Chromium on SwiftShader it returns zeros and destroys the device (README: "WebGPU here").
async function classify(): Promise<void> {
  const text = $<HTMLTextAreaElement>('cls-text').value;
  const pipe = new TextClassificationPipeline(models!.get('classification'), models!.tokenizer('classification'), { onWarning: () => {} });
  const [result] = await pipe.predictAsync([text]);
  const out = $('cls-result');
  out.dataset.probs = JSON.stringify(result!.scores.map((s) => s.score));
  out.dataset.label = result!.label;
  out.replaceChildren(
    ...result!.scores.map((s) => {
      const row = document.createElement('div');
      row.className = 'bar';
      const fill = document.createElement('span');
      fill.className = 'fill';
      fill.style.width = `${Math.round(s.score * 200)}px`;
      row.append(`${s.label}`, fill, s.score.toFixed(4));
      return row;
    }),
  );
}

/** The same model exported to ONNX in the page and run by onnxruntime-web (wasm), beside attn's answer. */
async function classifyOnnx(): Promise<void> {
  const model = models!.get('classification');
  const probs = await classifyWithOnnxRuntime(model, models!.tokenizer('classification'), $<HTMLTextAreaElement>('cls-text').value);
  const out = $('cls-ort-result');
  out.dataset.probs = JSON.stringify(probs);
  const id2label = model.config.id2label ?? {};
  out.textContent = `onnxruntime-web: ${probs.map((p, i) => `${id2label[i] ?? `LABEL_${i}`} ${p.toFixed(4)}`).join(', ')}`;
}

async function ner(): Promise<void> {
  const text = $<HTMLTextAreaElement>('ner-text').value;
  const { model, tokenizer } = await taskModel('ner');
  // 'first': one label per word, so a name is never split inside a word ("Angela Me" + "rkel" with 'simple').
  const [entities] = await new TokenClassificationPipeline(model, tokenizer, { aggregationStrategy: 'first' }).predictAsync([text]);
  const out = $('ner-result');
  out.dataset.entities = JSON.stringify(entities);
  renderHighlighted(out, text, entities!.map((e) => ({ start: e.start, end: e.end, label: `${e.entity} ${e.score.toFixed(2)}` })));
}

async function qa(): Promise<void> {
  const question = $<HTMLInputElement>('qa-question').value;
  const context = $<HTMLTextAreaElement>('qa-context').value;
  const { model, tokenizer } = await taskModel('qa');
  const [answers] = await new QuestionAnsweringPipeline(model, tokenizer).predictAsync([{ question, context }]);
  const best = answers![0];
  const out = $('qa-result');
  out.dataset.answer = JSON.stringify(best ?? null);
  renderHighlighted(out, context, best ? [{ start: best.start, end: best.end, label: `answer ${best.score.toFixed(2)}` }] : []);
}

async function attention(): Promise<void> {
  const layer = Number($<HTMLSelectElement>('attn-layer').value || 0);
  const head = Number($<HTMLSelectElement>('attn-head').value || 0);
  const map = await attentionMap(models!.get('classification'), models!.tokenizer('classification'), $<HTMLTextAreaElement>('cls-text').value, layer, head);
  drawAttentionMap($<HTMLCanvasElement>('attn-canvas'), map);
  $('attn-canvas').dataset.tokens = String(map.tokens.length);
  $('attn-canvas').dataset.weights = JSON.stringify(Array.from(map.weights));
}

/** The form's settings, with each bad one's message shown next to its field; undefined while any is bad. */
function readSettings(): FineTuneSettings | undefined {
  const text = Object.fromEntries(Object.entries(SETTING_INPUTS).map(([k, id]) => [k, $<HTMLInputElement>(id).value])) as Record<FineTuneSetting, string>;
  const { settings, errors } = parseFineTuneSettings(text);
  for (const [k, id] of Object.entries(SETTING_INPUTS) as Array<[FineTuneSetting, string]>) {
    $(`${id}-error`).textContent = errors[k] ?? '';
    $(id).setAttribute('aria-invalid', String(errors[k] !== undefined));
  }
  return settings;
}

/** Train needs a usable file, valid settings and no run in progress. */
function updateTrainButton(): void {
  $<HTMLButtonElement>('ft-run').disabled = training || examples.length < 2 || !readSettings();
}

async function readDataFile(file: File): Promise<void> {
  dataFile = file;
  // Nothing of the previous file may outlive a failed read: its summary would describe data no longer used.
  examples = [];
  const summary = $('ft-data');
  summary.textContent = '';
  summary.className = 'muted';
  delete summary.dataset.rows;
  delete summary.dataset.error;
  updateTrainButton();
  try {
    // Strict UTF-8 unless Latin-1 is chosen: File.text() would turn a Latin-1 "café" into "caf\uFFFD" without a word.
    const encoding = $<HTMLSelectElement>('ft-encoding').value as TextEncoding;
    const text = decodeBytes(new Uint8Array(await file.arrayBuffer()), file.name, encoding);
    const format = /\.csv$/i.test(file.name) ? 'csv' : 'tsv';
    const header = text.split(/\r?\n/, 1)[0]!.split(format === 'csv' ? ',' : '\t').map((h) => h.trim().replace(/^"|"$/g, ''));
    const textColumn = ['text', 'sentence', 'review'].find((c) => header.includes(c)) ?? header[0]!;
    const { examples: rows, skipped } = parseDelimited(text, { format, textColumn, labelColumn: 'label', file: file.name, onError: 'skip' });
    const labels = [...new Set(rows.map((r) => r.label))].sort();
    if (labels.length < 2) {
      throw new DataError({ file: file.name, field: 'label' }, `a classifier needs at least 2 different labels; found ${rows.length} usable rows (${skipped} skipped) with labels [${labels.join(', ')}].`);
    }
    examples = rows;
    summary.textContent = `${file.name} (${encoding === 'utf8' ? 'UTF-8' : 'Latin-1'}): ${rows.length} rows (${skipped} skipped), text column "${textColumn}", labels ${labels.join(', ')}`;
    summary.dataset.rows = String(rows.length);
  } catch (e) {
    summary.textContent = (e as Error).message;
    summary.className = 'error';
    summary.dataset.error = '1';
    throw e;
  } finally {
    updateTrainButton();
  }
}

function drawLoss(losses: number[]): void {
  $('ft-chart').innerHTML = lineChartSvg({
    series: [{ name: 'training loss', points: losses.map((l, i) => [i + 1, l] as const) }],
    title: 'Fine-tuning loss',
    xLabel: 'step',
    yLabel: 'loss',
    width: 640,
    height: 280,
  });
}

async function fineTune(): Promise<void> {
  const settings = readSettings();
  if (!settings || examples.length < 2) return;
  stopRequested = false;
  training = true;
  $<HTMLButtonElement>('ft-stop').disabled = false;
  updateTrainButton();
  const status = $('ft-status');
  status.className = 'muted';
  delete status.dataset.done;
  delete status.dataset.failed;
  const losses: number[] = [];
  try {
    const r = await fineTuneClassifier(loaded!.checkpoint, loaded!.tokenizer, examples, {
      ...settings,
      onStep: (step, loss) => {
        losses.push(loss);
        status.textContent = `step ${step}: loss ${loss.toFixed(4)}`;
        drawLoss(losses);
      },
      shouldStop: () => stopRequested,
    });
    status.dataset.losses = JSON.stringify(r.losses);
    status.dataset.tensorCounts = JSON.stringify(r.tensorCounts);
    status.dataset.done = '1';
    if (r.losses.length === 0) {
      r.model.dispose();
      status.textContent = 'Stopped before the first step; the page keeps its model.';
      return;
    }
    // Only a finished (or stopped) run with finite losses replaces the previous fine-tuned model.
    trained?.model.dispose();
    trained = r;
    status.textContent = `${r.stopped ? 'Stopped' : 'Finished'} after ${r.losses.length} steps in ${r.seconds.toFixed(1)} s (${(r.examples / r.seconds).toFixed(1)} examples/s); loss ${r.losses[0]!.toFixed(4)} → ${r.losses.at(-1)!.toFixed(4)}. The page now uses the fine-tuned model.`;
    // The fine-tuned classifier becomes the page's model, so the sections above show what it learned.
    useCheckpoint({ ...loaded!, checkpoint: await toPretrainedBytesAsync(r.model), description: `${loaded!.description} — fine-tuned in this tab for ${r.losses.length} steps.` });
    $('cls-note').textContent = `Model: fine-tuned in this tab for ${r.losses.length} steps; a dev score shown before no longer applies.`;
    await classify();
    $<HTMLButtonElement>('ft-download').disabled = false;
  } catch (e) {
    // A diverged run (NonFiniteLossError) or a refused one: the page's model and any earlier download stay.
    status.textContent = (e as Error).message;
    status.className = 'error';
    status.dataset.failed = '1';
    throw e;
  } finally {
    training = false;
    $<HTMLButtonElement>('ft-stop').disabled = true;
    updateTrainButton();
  }
}

function wire(): void {
  $('backend-select').addEventListener('change', () => void action('Switching backend', () => useBackend(($<HTMLSelectElement>('backend-select').value || undefined) as BackendName | undefined)));
  $('model-files').addEventListener('change', () => void action('Loading files', async () => useCheckpoint(await loadCheckpointFromFiles($<HTMLInputElement>('model-files').files!))));
  $('model-url-load').addEventListener('click', () => void action('Loading URL', async () => useCheckpoint(await loadCheckpointFromUrl($<HTMLInputElement>('model-url').value))));
  $('model-default').addEventListener('click', () => void action('Loading the default model', async () => useCheckpoint(await loadDefaultCheckpoint())));
  $('cls-run').addEventListener('click', () => void action('Classifying', classify));
  $('cls-ort-run').addEventListener('click', () => void action('Classifying with onnxruntime-web', classifyOnnx));
  $('ner-run').addEventListener('click', () => void action('Finding entities', ner));
  $('qa-run').addEventListener('click', () => void action('Answering', qa));
  $('attn-run').addEventListener('click', () => void action('Attention', attention));
  $('ft-file').addEventListener('change', () => void action('Reading data', () => readDataFile($<HTMLInputElement>('ft-file').files![0]!)));
  $('ft-encoding').addEventListener('change', () => dataFile && void action('Reading data', () => readDataFile(dataFile!)));
  const drop = $('ft-drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void action('Reading data', () => readDataFile(file));
  });
  for (const id of Object.values(SETTING_INPUTS)) $(id).addEventListener('input', updateTrainButton);
  $('ft-run').addEventListener('click', () => void action('Fine-tuning', fineTune));
  $('ft-stop').addEventListener('click', () => (stopRequested = true));
  $('ft-download').addEventListener('click', () => trained && void hfModelFiles(trained.model, loaded!.tokenizerJson).then(downloadFiles));
  new GenerationTab().wire(action);
}

async function start(): Promise<void> {
  wire();
  const requested = new URLSearchParams(location.search).get('backend') as BackendName | null;
  if (requested) $<HTMLSelectElement>('backend-select').value = requested;
  await action('Starting', async () => {
    await useBackend(requested ?? undefined);
    useCheckpoint(await loadDefaultCheckpoint());
    await classify();
  });
  document.body.dataset.ready = '1';
}

void start();
