import { attnTsupConfig } from '../../tsup.shared';

// shims: import.meta.url in the CJS build, used to find the repository's models/ (default_model.ts).
export default attnTsupConfig({ shims: true });
