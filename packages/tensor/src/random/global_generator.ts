import { Generator } from './generator';

// One process-wide stream: dropout masks and default initialisers draw their seeds here,
// so saving/restoring its state (setGlobalSeed or getState/setState) makes a resumed run reproducible.
let global = new Generator(0);

export function globalGenerator(): Generator {
  return global;
}

export function setGlobalSeed(seed: number): void {
  global = new Generator(seed);
}
