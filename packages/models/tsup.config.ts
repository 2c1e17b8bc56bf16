import { attnTsupConfig } from '../../tsup.shared';

// keepNames: className (constructor.name) is written to config.json as the architecture and names layers in the registry.
export default attnTsupConfig({ keepNames: true });
