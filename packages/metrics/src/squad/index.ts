export { normalizeAnswer } from './normalize_answer';
export { squadV1, squadExactMatch, squadTokenF1, type SquadV1Result } from './squad_v1';
export {
  squadV2,
  squadV2Exact,
  squadV2F1,
  squadV2RawScores,
  type SquadV2Options,
  type SquadV2Result,
  type SquadV2RawScores,
} from './squad_v2';
