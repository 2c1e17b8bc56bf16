import { attnVitestConfig } from '../../vitest.shared';

export default attnVitestConfig();
