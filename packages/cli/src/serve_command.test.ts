import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { assertModelDir } from './model_dir';
import { registerServeCommand, type ServeFlags } from './serve_command';

const empty = mkdtempSync(join(tmpdir(), 'attn-cli-serve-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = 0;
});

interface EchoFlags extends ServeFlags {
  suffix: string;
}

function program(makePredictor = vi.fn()): Command {
  const p = new Command('attn-echo').exitOverride();
  registerServeCommand<EchoFlags>(p, {
    description: 'serve the echo model',
    items: 'texts',
    options: (c) => c.option('--suffix <s>', 'appended to every text', '!'),
    validate: (flags) => assertModelDir(flags.model),
    makePredictor,
  });
  return p;
}

describe('registerServeCommand', () => {
  it('adds the common flags with their defaults, the task options, and --backend last', () => {
    const serve = program().commands.find((c) => c.name() === 'serve')!;
    expect(serve.description()).toBe('serve the echo model');
    expect(serve.options.map((o) => o.long)).toEqual(['--model', '--host', '--port', '--max-batch-size', '--batch-window-ms', '--max-text-length', '--max-batch-items', '--suffix', '--backend']);
    expect(serve.options.find((o) => o.long === '--max-batch-size')!.description).toBe('most texts merged into one model call (1 = no dynamic batching)');
    expect(Object.fromEntries(serve.options.map((o) => [o.long, o.defaultValue]))).toMatchObject({ '--host': '127.0.0.1', '--port': '8080', '--suffix': '!' });
  });

  it('reports a bad model directory in one line before loading anything', async () => {
    const makePredictor = vi.fn();
    let stderr = '';
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    try {
      await program(makePredictor).parseAsync(['node', 'attn-echo', 'serve', '--model', empty]);
    } finally {
      se.mockRestore();
    }
    expect(stderr).toBe(`error: --model ${empty}: no config.json; pass an HF-format model directory.\n`);
    expect(process.exitCode).toBe(1);
    expect(makePredictor).not.toHaveBeenCalled();
  });

  it('serves the predictor until SIGTERM, then disposes it', async () => {
    const dispose = vi.fn();
    const makePredictor = vi.fn(async (flags: EchoFlags) => ({
      predictor: { task: 'text-classification', predictBatch: (xs: Array<{ text: string }>) => xs.map((x) => x.text + flags.suffix), info: () => ({}) },
      dispose,
    }));
    const p = new Command('attn-echo').exitOverride();
    let stdout = '';
    const listening = new Promise<string>((resolveUrl) => {
      registerServeCommand<EchoFlags>(p, {
        description: 'echo',
        items: 'texts',
        options: (c) => c.option('--suffix <s>', 'appended', '!'),
        makePredictor,
        print: (line) => {
          stdout += `${line}\n`;
          const m = /at (http:\/\/\S+) /.exec(line);
          if (m) resolveUrl(m[1]!);
        },
      });
    });
    const run = p.parseAsync(['node', 'attn-echo', 'serve', '--model', empty, '--port', '0', '--backend', 'cpu', '--suffix', '?']);
    const url = await listening;
    const body = await (await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"abc"}' })).json();
    expect(body).toBe('abc?');
    process.emit('SIGTERM', 'SIGTERM');
    await run;
    expect(stdout).toMatch(/^serving .* \(POST \/predict, GET \/health, GET \/model\); Ctrl-C or SIGTERM stops it\nSIGTERM: finished in-flight requests, stopped\n$/);
    expect(dispose).toHaveBeenCalledOnce();
  });
});
