import { describe, expect, it } from 'vitest';
import { byMarker } from './ps-tallyfy-expect.ts';

describe('byMarker', () => {
  it('groups snapshot objects by the [ps:<id>] marker their text ends with, so a duplicate shows as two', () => {
    const items = [{ t: 'Onboarding [ps:wf_1]' }, { t: 'Onboarding again [ps:wf_1]' }, { t: 'Other [ps:a-B2]  ' }, { t: 'no marker' }, { t: '[ps:x] not at the end' }];
    const found = byMarker(items, (i) => i.t);
    expect(found.get('wf_1')).toHaveLength(2);
    expect(found.get('a-B2')).toHaveLength(1);
    expect([...found.keys()].sort()).toEqual(['a-B2', 'wf_1']);
  });
});
