import { describeFamilyReference } from '../../test/family_reference';

describeFamilyReference('Llama', ['micro-llama-clm', 'micro-llama-tied-clm', 'micro-llama-seqcls']);
