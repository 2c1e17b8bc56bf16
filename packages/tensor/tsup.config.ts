import { attnTsupConfig } from '../../tsup.shared';

// Three entries: the package, @attn/tensor/testing (leak and gradient checks for tests) and
// @attn/tensor/internal (the tfjs-backend-wasm adapter @attn/tensor-native builds on; not a public API).
export default attnTsupConfig({ entry: ['src/index.ts', 'src/testing.ts', 'src/internal.ts'] });
