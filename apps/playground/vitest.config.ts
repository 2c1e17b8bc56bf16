import { attnVitestConfig } from '../../vitest.shared';

export default attnVitestConfig({ testTimeout: 150_000 });
