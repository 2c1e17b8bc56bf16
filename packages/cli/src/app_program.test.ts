import { describe, expect, it } from 'vitest';
import { appProgram } from './app_program';

describe('appProgram', () => {
  it('configures the root before adding the commands, so they inherit it', () => {
    const seen: string[] = [];
    const program = appProgram('attn-x', 'an app', (p) => void seen.push(`configure ${p.commands.length}`), [(p) => void p.command('train'), (p) => void p.command('eval')]);
    expect(seen).toEqual(['configure 0']);
    expect(program.name()).toBe('attn-x');
    expect(program.description()).toBe('an app');
    expect(program.commands.map((c) => c.name())).toEqual(['train', 'eval']);
  });
});
