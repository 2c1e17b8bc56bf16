import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { ModelTask } from '@attn/models';
import { exportModelDirectory, MAX_OPSET, MIN_OPSET } from '@attn/onnx';
import { CliError, runCommand } from './cli_error';
import { assertModelDir, type ModelDirMessages } from './model_dir';
import { assertModelTask } from './model_task';
import { numberFlag } from './number_flag';
import { startBackend } from './backend_flag';

export interface ExportFlags {
  model: string;
  out: string;
  opset: string;
  int8?: boolean;
}

export interface ExportCommandSpec {
  /** The app's name in messages: 'classify'. */
  app: string;
  /** The head the app's models have; another is refused in one line. */
  task: ModelTask;
  modelDirMessages?: ModelDirMessages;
  /** Where progress lines go (default: stdout). */
  print?: (line: string) => void;
}

/** Checks the flags, exports the model directory to ONNX with its tokenizer and config beside it, and says what it wrote. */
export async function exportCommand(flags: ExportFlags, spec: ExportCommandSpec): Promise<void> {
  const print = spec.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const opset = numberFlag('opset', flags.opset, { int: true, min: MIN_OPSET, max: MAX_OPSET });
  if (!flags.out.endsWith('.onnx')) throw new CliError(`--out ${flags.out}: name the file to write, ending in .onnx (e.g. --out exported/model.onnx).`);
  assertModelDir(flags.model, spec.modelDirMessages);
  assertModelTask(flags.model, spec.task, spec.app);
  // Only reads the weights out of tfjs: the cpu backend needs no install and is exact.
  await startBackend('cpu');
  const r = await exportModelDirectory(flags.model, flags.out, { opset, dynamicAxes: true, ...(flags.int8 ? { quantize: 'int8' as const } : {}) });
  const mb = (statSync(r.path).size / 2 ** 20).toFixed(1);
  print(`wrote ${r.path} (${mb} MB, ONNX opset ${r.opset}${flags.int8 ? ', int8 linear layers' : ''}): ${r.architecture}, inputs ${r.inputNames.join(', ')} → outputs ${r.outputNames.join(', ')} (batch_size and sequence_length dynamic)`);
  print(r.copied.length ? `copied beside it: ${r.copied.join(', ')}` : 'no tokenizer or config files copied (the output is in the model directory)');
}

/** Adds `export --model <dir> --out <file.onnx> [--opset 17] [--int8]` to an app's program. */
export function registerExportCommand(program: Command, spec: ExportCommandSpec): Command {
  return program
    .command('export')
    .description('export the model to ONNX (onnxruntime, transformers.js, Triton) with its tokenizer.json and config.json beside it')
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--out <file>', 'the .onnx file to write (its folder also gets tokenizer.json and config.json)')
    .option('--opset <n>', `ONNX opset, ${MIN_OPSET} to ${MAX_OPSET}`, String(MIN_OPSET))
    .option('--int8', 'dynamically quantized linear layers (int8 weights, MatMulInteger): smaller and faster, slightly less exact')
    .action((flags: ExportFlags) => runCommand(() => exportCommand(flags, spec)));
}
