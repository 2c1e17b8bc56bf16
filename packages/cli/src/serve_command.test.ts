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
    expect(serve.options.map((o) => o.long)).toEqual(['--model', '--host', '--port', '--max-batch-size', '--batch-window-ms', '--max-text-length', '--max-batch-items', '--drain-timeout', '--int8', '--suffix', '--backend']);
    expect(serve.options.find((o) => o.long === '--max-batch-size')!.description).toBe('most texts merged into one model call (1 = no dynamic batching)');
    expect(Object.fromEntries(serve.options.map((o) => [o.long, o.defaultValue]))).toMatchObject({ '--host': '127.0.0.1', '--port': '8080', '--drain-timeout': '25', '--suffix': '!' });
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
    expect(stdout).toMatch(/^serving .* \(POST \/predict, GET \/health, GET \/model\); Ctrl-C or SIGTERM stops it\nSIGTERM: answered 0 request\(s\) in flight in \d+\.\d s, stopped\n$/);
    expect(dispose).toHaveBeenCalledOnce();
  });

  it('exits 1 with a one-line error when --drain-timeout passes with requests unanswered', async () => {
    const dispose = vi.fn();
    // A model call that outlasts the drain timeout.
    const makePredictor = vi.fn(async () => ({
      predictor: { task: 'text-classification', predictBatch: async (xs: unknown[]) => (await new Promise((r) => setTimeout(r, 3000)), xs), info: () => ({}) },
      dispose,
    }));
    const p = new Command('attn-echo').exitOverride();
    const listening = new Promise<string>((resolveUrl) => {
      registerServeCommand<ServeFlags>(p, {
        description: 'echo',
        items: 'texts',
        makePredictor,
        print: (line) => {
          const m = /at (http:\/\/\S+) /.exec(line);
          if (m) resolveUrl(m[1]!);
        },
      });
    });
    let stderr = '';
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    try {
      const run = p.parseAsync(['node', 'attn-echo', 'serve', '--model', empty, '--port', '0', '--backend', 'cpu', '--drain-timeout', '0.2']);
      const url = await listening;
      const stuck = fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"abc"}' }).catch((e: Error) => e);
      await new Promise((r) => setTimeout(r, 50));
      process.emit('SIGTERM', 'SIGTERM');
      await run;
      expect(await stuck).toBeInstanceOf(Error);
    } finally {
      se.mockRestore();
    }
    expect(stderr).toBe('error: SIGTERM: --drain-timeout 0.2 s passed with 1 request(s) unanswered (0 answered); closed their connections. Raise --drain-timeout if the model needs longer.\n');
    expect(process.exitCode).toBe(1);
    expect(dispose).toHaveBeenCalledOnce();
  });

  it('rejects a --drain-timeout that is not a number >= 0 before loading anything', async () => {
    const makePredictor = vi.fn();
    let stderr = '';
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    try {
      await program(makePredictor).parseAsync(['node', 'attn-echo', 'serve', '--model', empty, '--drain-timeout', '-1']);
    } finally {
      se.mockRestore();
    }
    expect(stderr).toBe('error: --drain-timeout must be a number >= 0; got "-1".\n');
    expect(process.exitCode).toBe(1);
    expect(makePredictor).not.toHaveBeenCalled();
  });

  it.each([
    [['--host', '999.1.1.1'], 'error: --host "999.1.1.1" is not a valid IP address; pass an IP address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface), or a host name this machine resolves.\n'],
    [['--port', 'abc'], 'error: --port must be an integer in [0, 65535]; got "abc".\n'],
    [['--port', '70000'], 'error: --port must be an integer in [0, 65535]; got "70000".\n'],
    [['--max-batch-size', '0'], 'error: --max-batch-size must be an integer >= 1; got "0".\n'],
    [['--max-text-length', 'lots'], 'error: --max-text-length must be an integer >= 1; got "lots".\n'],
    [['--backend', 'tensorflow'], /^error: --backend tensorflow: it needs @tensorflow\/tfjs-node .*not installed here: run `npm install @tensorflow\/tfjs-node`.*\. Or pass --backend wasm or --backend cpu\.\n$/],
    [['--backend', 'gpu'], 'error: --backend must be one of tensorflow, wasm, cpu; got "gpu".\n'],
  ] as Array<[string[], string | RegExp]>)('%j: one line naming the flag as typed, before loading anything, no stack trace', async (args, expected) => {
    const makePredictor = vi.fn();
    let stderr = '';
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    // validate passes, so the flag (not the empty model directory) is what fails.
    const p = new Command('attn-echo').exitOverride();
    registerServeCommand<ServeFlags>(p, { description: 'echo', items: 'texts', makePredictor });
    try {
      await p.parseAsync(['node', 'attn-echo', 'serve', '--model', empty, ...args]);
    } finally {
      se.mockRestore();
    }
    if (typeof expected === 'string') expect(stderr).toBe(expected);
    else expect(stderr).toMatch(expected);
    expect(process.exitCode).toBe(1);
    expect(makePredictor).not.toHaveBeenCalled();
  });

  it('a host name that does not resolve, or an address not on this machine, is one line naming --host', async () => {
    const makePredictor = vi.fn(async () => ({ predictor: { task: 'text-classification', predictBatch: (xs: unknown[]) => xs, info: () => ({}) }, dispose: () => {} }));
    for (const [host, expected] of [
      ['no-such-host.invalid', /^error: --host no-such-host\.invalid: cannot resolve this name \(\w+\); pass an IP address/],
      // TEST-NET-3: a valid address that is not this machine's.
      ['203.0.113.7', /^error: --host 203\.0\.113\.7: not an address of this machine; pass 127\.0\.0\.1/],
    ] as const) {
      let stderr = '';
      const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
      const p = new Command('attn-echo').exitOverride();
      registerServeCommand<ServeFlags>(p, { description: 'echo', items: 'texts', makePredictor });
      try {
        await p.parseAsync(['node', 'attn-echo', 'serve', '--model', empty, '--host', host, '--port', '0', '--backend', 'cpu']);
      } finally {
        se.mockRestore();
      }
      expect(stderr).toMatch(expected);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(process.exitCode).toBe(1);
      process.exitCode = 0;
    }
  });
});
