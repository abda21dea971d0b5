import { describe, expect, it } from 'vitest';
import type { DescriptiveDimension } from '../../instance';
import { parseAnswer } from './parse';

type Case = [DescriptiveDimension, string, string | string[]];

const ACCEPTED: Case[] = [
  // plain objects
  ['expertise_level', '{"expertise_level": "expert domain knowledge"}', 'expert domain knowledge'],
  ['open_endedness', '{"open_endedness": "no"}', 'no'],
  ['safety_concern', '{"safety_concern":"safe"}', 'safe'],
  ['complexity_of_intents', '{"complexity_of_intents": "complex"}', 'complex'],
  // case and spelling differences in key and value
  ['expertise_level', '{"Expertise_Level": "Expert Domain Knowledge"}', 'expert domain knowledge'],
  ['expertise_level', '{"expertise level": "basic_domain_knowledge"}', 'basic domain knowledge'],
  ['safety_concern', '{"safety-concern": " MODERATE. "}', 'moderate'],
  ['expertise_level', '{"expertise_level": "Expert"}', 'expert domain knowledge'],
  ['safety_concern', '{"safety_concern": "none"}', 'safe'],
  ['open_endedness', '{"open_endedness": ["high"]}', 'high'],
  // code fences, reasoning and surrounding text
  ['open_endedness', '```json\n{"open_endedness": "moderate"}\n```', 'moderate'],
  ['open_endedness', '```\n{"open_endedness": "low"}\n```\nHope this helps!', 'low'],
  ['open_endedness', '```json\n{"open_endedness": "low"}', 'low'],
  ['safety_concern', '<think>It asks about {weapons}? No, cooking.</think>\n{"safety_concern": "safe"}', 'safe'],
  ['complexity_of_intents', 'Sure! Here is my analysis: {"complexity_of_intents": "moderate"} because it has two parts.', 'moderate'],
  ['complexity_of_intents', 'The prompt {is short}. Answer: {"complexity_of_intents": "simple"}', 'simple'],
  ['expertise_level', '{"expertise_level": "general public", "reason": "anyone can answer"}', 'general public'],
  // bare values instead of an object
  ['safety_concern', 'high', 'high'],
  ['safety_concern', '"Low"', 'low'],
  ['safety_concern', 'Moderate.', 'moderate'],
  ['expertise_level', 'expertise_level: basic domain knowledge', 'basic domain knowledge'],
  ['subject_of_expertise', '["Physics", "Mathematics"]', ['Physics', 'Mathematics']],
  ['subject_of_expertise', 'Physics, chemistry', ['Physics', 'Chemistry']],
  ['languages', 'English', ['English']],
  ['format_constraints', '[]', []],
  ['format_constraints', 'None', []],
  ['type_of_in_context_material', 'a code snippet', ['a code snippet']],
  // Python-style answers, trailing commas
  ['subject_of_expertise', "{'subject_of_expertise': ['Computer sciences', 'Logic']}", ['Computer sciences', 'Logic']],
  ['format_constraints', '{"format_constraints": ["under 100 words", "bullet points",]}', ['under 100 words', 'bullet points']],
  ['format_constraints', "{'format_constraints': None}", []],
  // subjects: canonical spelling, dedupe, & for and, one string
  ['subject_of_expertise', '{"subject_of_expertise": ["computer sciences", "COMPUTER SCIENCES"]}', ['Computer sciences']],
  ['subject_of_expertise', '{"subject_of_expertise": ["Linguistics & language"]}', ['Linguistics and language']],
  ['subject_of_expertise', '{"subject_of_expertise": "Medicine and health"}', ['Medicine and health']],
  ['subject_of_expertise', '{"subject_of_expertise": "Law, Business"}', ['Law', 'Business']],
  ['subject_of_expertise', '{"subject_of_expertise": ["Others"]}', ['Others']],
  // languages
  ['languages', '{"languages": ["english", "French"]}', ['English', 'French']],
  ['languages', '{"languages": "English, Spanish"}', ['English', 'Spanish']],
  ['languages', '{"languages": ["Chinese (Simplified)"]}', ['Chinese (Simplified)']],
  ['languages', '{"languages": []}', []],
  // open sets
  ['type_of_in_context_material', '{"type_of_in_context_material": ["code", "error message"]}', ['code', 'error message']],
  ['type_of_in_context_material', '{"type_of_in_context_material": []}', []],
  ['type_of_in_context_material', '{"type_of_in_context_material": null}', []],
  ['type_of_in_context_material', '{"type_of_in_context_material": "none"}', []],
  ['type_of_in_context_material', '{"type_of_in_context_material": ["N/A"]}', []],
  ['format_constraints', '{"format_constraints": "answer in JSON"}', ['answer in JSON']],
];

const REJECTED: [DescriptiveDimension, string, RegExp][] = [
  ['expertise_level', '', /empty/],
  ['expertise_level', '   \n ', /empty/],
  ['expertise_level', '<think>hmm</think>', /empty/],
  ['expertise_level', '{"expertise_level": "PhD level"}', /"PhD level" is not allowed; expected one of "general public"/],
  ['open_endedness', '{"open_endedness": "very high"}', /not allowed/],
  ['open_endedness', '{"open_endedness": 3}', /got a number/],
  ['open_endedness', '{"open_endedness": null}', /got null/],
  ['open_endedness', '{"open_endedness": ["low", "high"]}', /got a list/],
  ['open_endedness', '{"open_endedness": {"value": "low"}}', /got an object/],
  ['safety_concern', '{"safety_concern": "moderate"', /not valid JSON/],
  ['safety_concern', '{safety_concern: moderate}', /not valid JSON/],
  ['safety_concern', '{}', /object is empty/],
  ['safety_concern', '{"answer": "safe"}', /expected the key "safety_concern", found "answer"/],
  ['safety_concern', '{"open_endedness": "low"}', /about "open_endedness", not "safety_concern"/],
  ['safety_concern', 'The prompt is safe because it asks for a recipe.', /not allowed/],
  ['safety_concern', 'I cannot help with that request.', /not allowed/],
  ['complexity_of_intents', 'true', /got a boolean/],
  ['complexity_of_intents', '42', /got a number/],
  ['subject_of_expertise', '{"subject_of_expertise": ["Quantum Cooking"]}', /"Quantum Cooking" is not in the list of subjects/],
  ['subject_of_expertise', '{"subject_of_expertise": ["Physics", "Astrology", "Alchemy"]}', /"Astrology", "Alchemy" are not in the list/],
  ['subject_of_expertise', '{"subject_of_expertise": []}', /no subject given/],
  [
    'subject_of_expertise',
    '{"subject_of_expertise": ["Physics", "Chemistry", "Biology", "Mathematics"]}',
    /4 subjects given; choose at most 3/,
  ],
  ['subject_of_expertise', '{"subject_of_expertise": [1, 2]}', /contains a number/],
  ['subject_of_expertise', '{"subject_of_expertise": {"Physics": 1}}', /expected a list of subjects, got an object/],
  ['languages', '{"languages": ["English", 42]}', /contains a number/],
  ['languages', '{"languages": ["Python 3"]}', /"Python 3" is not a language name/],
  ['languages', '{"languages": ["the prompt is written mostly in English with some French words mixed in"]}', /not a language name/],
  ['type_of_in_context_material', '{"type_of_in_context_material": true}', /got a boolean/],
  ['type_of_in_context_material', `{"type_of_in_context_material": ["${'x'.repeat(300)}"]}`, /too long \(300 characters\)/],
  ['type_of_in_context_material', '{"type_of_in_context_material": [["code"]]}', /contains a list/],
  ['format_constraints', 'The prompt asks for:\nbullet points\nunder 50 words', /several lines of text/],
  ['format_constraints', `[${Array.from({ length: 13 }, (_, i) => `"c${i}"`).join(',')}]`, /13 items given/],
];

describe('parseAnswer', () => {
  it.each(ACCEPTED)('%s accepts %j', (dim, content, value) => {
    expect(parseAnswer(dim, content)).toEqual({ ok: true, value });
  });

  it.each(REJECTED)('%s rejects %j', (dim, content, reason) => {
    const r = parseAnswer(dim, content);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('returns canonical values that tags.ts recognises', () => {
    const r = parseAnswer('subject_of_expertise', '{"subject_of_expertise": ["space sciences", "earth SCIENCES"]}');
    expect(r).toEqual({ ok: true, value: ['Space sciences', 'Earth sciences'] });
  });

  it('keeps reasons short even for huge answers', () => {
    const r = parseAnswer('safety_concern', 'x'.repeat(50_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeLessThan(200);
  });

  it('rejects a non-string input without throwing', () => {
    expect(parseAnswer('safety_concern', null as unknown as string)).toEqual({ ok: false, reason: 'expected text, got null' });
  });
});
