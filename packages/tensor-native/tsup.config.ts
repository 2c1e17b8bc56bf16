import { attnTsupConfig } from '../../tsup.shared';

// shims: import.meta.url in the CJS build, used to find the addon next to the package.
export default attnTsupConfig({ shims: true });
