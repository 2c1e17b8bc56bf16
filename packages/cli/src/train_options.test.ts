import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addTrainingOptions, type TrainingFlags } from './train_options';

const parse = (args: string[]) => {
  let got: TrainingFlags | undefined;
  const program = new Command().exitOverride();
  addTrainingOptions(program.command('train'), { unit: 'windows', limitUnit: 'questions', batchSize: '16', epochs: '2' }).action((o: TrainingFlags) => {
    got = o;
  });
  program.parse(['node', 'x', 'train', ...args]);
  return { got: got!, help: program.commands[0]!.helpInformation() };
};

describe('addTrainingOptions', () => {
  it('gives the shared defaults and the app-specific ones', () => {
    const { got } = parse([]);
    expect(got).toEqual({
      optimizer: 'adamw', lr: '5e-5', batchSize: '16', epochs: '2', weightDecay: '0.01', warmupRatio: '0.1', patience: '2',
      freeze: 'none', seed: '42', maxGradNorm: '1', limit: '0', devLimit: '0', loggingSteps: '50',
    });
  });

  it('hands given values over as strings, last one winning', () => {
    const { got } = parse(['--lr', '1e-3', '--freeze', 'bottom:1', '--dropout', '0', '--quiet', '--lr', '2e-3', '--backend', 'wasm', '--gradient-checkpointing']);
    expect(got).toMatchObject({ lr: '2e-3', freeze: 'bottom:1', dropout: '0', quiet: true, backend: 'wasm', gradientCheckpointing: true });
  });

  it('names the units in the help', () => {
    const { help } = parse([]);
    expect(help).toMatch(/--batch-size <n>\s+windows per batch \(default: "16"\)/);
    expect(help).toMatch(/--limit <n>\s+use only the first n training questions/);
  });
});
