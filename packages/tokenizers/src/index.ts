export type { Encoding } from './encoding';
