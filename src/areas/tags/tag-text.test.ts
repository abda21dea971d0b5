import { describe, expect, it } from 'vitest';
import { TAG_IDS } from '../../domain/tags/tags';
import { readableTag } from './tag-text';

describe('readableTag', () => {
  it('renders every tag kind', () => {
    expect(readableTag('rouge::min_val=0.67|max_val=1.0')).toBe('rouge 0.67–1.0');
    expect(readableTag('analyzer_closed_set::feature_name=subject_of_expertise|constraints=Political science')).toBe(
      'subject of expertise: Political science',
    );
    expect(readableTag('analyzer_scalar::feature_name=safety_concern|value=moderate')).toBe('safety concern: moderate');
    expect(readableTag('analyzer_open_set::feature_name=format_constraints|check_for_existence=1')).toBe('has format constraints');
    expect(readableTag('judge::feature_name=swap_inconsistent')).toBe('judge: swap inconsistent');
    expect(readableTag('judge_confidence::min_val=0.67|max_val=1.0')).toBe('judge_confidence 0.67–1.0');
  });
  it('gives every tag (the 90 paper tags and the judge features) a distinct readable name', () => {
    const names = TAG_IDS.map(readableTag);
    expect(new Set(names).size).toBe(TAG_IDS.length);
    expect(names.every((n, i) => n !== TAG_IDS[i])).toBe(true);
  });
});
