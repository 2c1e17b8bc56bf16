import { describe, expect, it } from 'vitest';
import { confusionMatrix } from './confusion_matrix';
import { renderConfusionMatrix } from './render_confusion_matrix';

describe('renderConfusionMatrix', () => {
  it('prints counts with totals, aligned', () => {
    const cm = confusionMatrix(['cat', 'dog', 'cat', 'bird'], ['cat', 'cat', 'cat', 'bird']);
    expect(renderConfusionMatrix(cm)).toBe(
      [
        'true \\ pred  bird  cat  dog  total',
        '-----------  ----  ---  ---  -----',
        'bird            1    0    0      1',
        'cat             0    2    0      2',
        'dog             0    1    0      1',
        '-----------  ----  ---  ---  -----',
        'total           1    3    0      4',
        '',
      ].join('\n'),
    );
  });
  it('prints normalised matrices with fixed digits and no totals', () => {
    const cm = confusionMatrix([0, 0, 1], [0, 1, 1], { normalize: 'true' });
    expect(renderConfusionMatrix({ ...cm, digits: 3 })).toBe(
      ['true \\ pred      0      1', '-----------  -----  -----', '0            0.500  0.500', '1            0.000  1.000', ''].join('\n'),
    );
  });
});
