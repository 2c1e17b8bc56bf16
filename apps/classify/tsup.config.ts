import { attnAppTsupConfig } from '../../tsup.shared';

// Apps are executables: one ESM file with a shebang; packages stay external.
export default attnAppTsupConfig();
