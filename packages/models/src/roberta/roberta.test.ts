import { describeFamilyReference } from '../../test/family_reference';

describeFamilyReference('RoBERTa', ['micro-roberta-seqcls', 'micro-roberta-tokcls', 'micro-roberta-qa', 'micro-roberta-mlm']);
