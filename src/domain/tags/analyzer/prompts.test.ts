import { describe, expect, it } from 'vitest';
import { DESCRIPTIVE_DIMENSIONS } from '../../instance';
import { SCALAR_DIMENSIONS, SUBJECTS } from '../tags';
import { parseAnswer } from './parse';
import { buildMessages, correctionMessage, dimensionInstructions, truncatePrompt } from './prompts';

describe('buildMessages', () => {
  it('sends a system and a user message with the prompt between markers and the JSON shape', () => {
    const m = buildMessages('open_endedness', 'What is 2 + 2?');
    expect(m.map((x) => x.role)).toEqual(['system', 'user']);
    expect(m[0]!.content).toContain('JSON');
    const user = m[1]!.content;
    expect(user).toContain('<prompt>\nWhat is 2 + 2?\n</prompt>');
    expect(user).toContain('{"open_endedness": "<one of the values above');
    expect(user).not.toContain('omitted');
  });

  it.each(Object.entries(SCALAR_DIMENSIONS))('lists every allowed value of %s', (dim, values) => {
    const user = buildMessages(dim as keyof typeof SCALAR_DIMENSIONS, 'p')[1]!.content;
    for (const v of values) expect(user).toContain(`"${v}":`);
  });

  it('lists all 46 subjects and asks for at most 3', () => {
    const user = buildMessages('subject_of_expertise', 'p')[1]!.content;
    expect(SUBJECTS).toHaveLength(46);
    for (const s of SUBJECTS) expect(user).toContain(`"${s}"`);
    expect(user).toContain('1 to 3 subjects');
    expect(user).toContain('{"subject_of_expertise": [');
  });

  it('asks for lists, empty when none, for the list dimensions', () => {
    expect(buildMessages('languages', 'p')[1]!.content).toContain('{"languages": [');
    for (const d of ['type_of_in_context_material', 'format_constraints'] as const) {
      const user = buildMessages(d, 'p')[1]!.content;
      expect(user).toContain(`{"${d}": []}`);
      expect(user).toContain('empty list');
    }
  });

  it('mentions only the asked dimension (so one request is about one dimension)', () => {
    for (const d of DESCRIPTIVE_DIMENSIONS) {
      const user = buildMessages(d, 'p')[1]!.content;
      for (const other of DESCRIPTIVE_DIMENSIONS) if (other !== d) expect(user).not.toContain(`"${other}"`);
    }
  });

  it('truncates long prompts keeping head and tail, with a note', () => {
    const prompt = `${'a'.repeat(900)}MIDDLE${'b'.repeat(94)}`; // 1000 chars
    const user = buildMessages('format_constraints', prompt, { maxPromptChars: 100 })[1]!.content;
    expect(user).toContain('a'.repeat(75) + '\n[... 900 characters omitted ...]\n' + 'b'.repeat(25) + '\n</prompt>');
    expect(user).not.toContain('MIDDLE');
    expect(user).toContain('the prompt is long (1000 characters); 900 characters were omitted');
  });

  it('does not truncate a prompt of exactly the limit', () => {
    expect(truncatePrompt('abcd', 4)).toEqual({ text: 'abcd', omitted: 0, originalLength: 4 });
  });

  it('never splits a surrogate pair', () => {
    const t = truncatePrompt('😀'.repeat(50), 11);
    expect(t.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('throws on an unknown dimension', () => {
    expect(() => dimensionInstructions('mood' as never)).toThrow(/Unknown descriptive dimension/);
  });

  it('example answers in the instructions parse (the prompt and the parser agree)', () => {
    const examples: Record<string, string> = {
      expertise_level: '{"expertise_level": "basic domain knowledge"}',
      subject_of_expertise: '{"subject_of_expertise": ["Others"]}',
      languages: '{"languages": ["English"]}',
      type_of_in_context_material: '{"type_of_in_context_material": []}',
      format_constraints: '{"format_constraints": []}',
    };
    for (const [d, ex] of Object.entries(examples)) expect(parseAnswer(d as never, ex).ok).toBe(true);
  });
});

describe('correctionMessage', () => {
  it('states the reason and the expected shape', () => {
    const m = correctionMessage('safety_concern', '"maybe" is not allowed');
    expect(m.role).toBe('user');
    expect(m.content).toContain('"maybe" is not allowed');
    expect(m.content).toContain('{"safety_concern": "<one of: safe, low, moderate, high>"}');
    expect(correctionMessage('subject_of_expertise', 'x').content).toContain('1 to 3 subjects');
    expect(correctionMessage('format_constraints', 'x').content).toContain('{"format_constraints": [<short strings>]}');
  });
});
