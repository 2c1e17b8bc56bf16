import { describeFamilyReference } from '../../test/family_reference';

describeFamilyReference('ELECTRA', ['micro-electra-seqcls', 'micro-electra-tokcls']);
