import { attnTsupConfig } from '../../tsup.shared';

// Two entries: the package, and @attn/tensor/testing (leak and gradient checks for tests).
export default attnTsupConfig({ entry: ['src/index.ts', 'src/testing.ts'] });
