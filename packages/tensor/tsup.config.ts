import { attnTsupConfig } from '../../tsup.shared';

// Four entries: the package, @attn/tensor/testing (leak and gradient checks for tests),
// @attn/tensor/internal (the tfjs-backend-wasm adapter @attn/tensor-native builds on; not a public API) and
// @attn/tensor/durable_write (the durable file writer without tfjs, for @attn/tokenizers).
export default attnTsupConfig({ entry: ['src/index.ts', 'src/testing.ts', 'src/internal.ts', 'src/durable_write.ts'] });
