export { normalizeAnswer } from './normalize_answer';
export { squadV1, squadExactMatch, squadTokenF1, type SquadV1Result } from './squad_v1';
export { squadV2, type SquadV2Options, type SquadV2Result } from './squad_v2';
