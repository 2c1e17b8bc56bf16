import { attnTsupConfig } from '../../tsup.shared';

// Two entries: the package and @attn/cli/testing (running a command tree in-process in tests).
export default attnTsupConfig({ entry: ['src/index.ts', 'src/testing.ts'] });
