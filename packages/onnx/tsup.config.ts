import { attnTsupConfig } from '../../tsup.shared';

export default attnTsupConfig();
