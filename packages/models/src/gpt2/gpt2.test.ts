import { describeFamilyReference } from '../../test/family_reference';

describeFamilyReference('GPT-2', ['micro-gpt2-clm', 'micro-gpt2-seqcls']);
