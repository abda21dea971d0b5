// Prompt templates for an LM judge. A template is a system message and a user message with placeholders
// ({prompt}, {response_a}, {response_b}); the judge's answer is read by verdict.ts according to the template's
// scale. Two are built in, written for this project: a pairwise A/B/tie verdict in the style of MT-Bench's
// judge, and a five-point scale in the style of MultiPref's annotation form. Users can edit them or bring their own.
import type { ChatMessage } from '../tags/analyzer/client';
import { generalError } from '../errors';

/** How the judge answers: a winner (A, B or tie) or a five-point preference. */
export type VerdictScale = 'pairwise' | 'five-point';

export interface JudgeTemplate {
  /** Stable id (part of the answer cache key, with the template's text). */
  id: string;
  name: string;
  scale: VerdictScale;
  system: string;
  /** Must contain {prompt}, {response_a} and {response_b}. */
  user: string;
}

export const PLACEHOLDERS = ['{prompt}', '{response_a}', '{response_b}'] as const;

export const PAIRWISE_TEMPLATE: JudgeTemplate = {
  id: 'pairwise-v1',
  name: 'Pairwise verdict (A, B or tie)',
  scale: 'pairwise',
  system:
    'You compare two answers of AI assistants to the same user request. Judge which answer serves the user better: ' +
    'how helpful, correct, relevant, deep and clear it is. The order in which the answers appear must not affect your ' +
    'judgement, and neither must their length or the assistants\u2019 names. Think briefly, then give your verdict on the ' +
    'last line in exactly this form: [[A]] if answer A is better, [[B]] if answer B is better, [[C]] for a tie.',
  user: '[User request]\n{prompt}\n\n[Answer A]\n{response_a}\n[End of answer A]\n\n[Answer B]\n{response_b}\n[End of answer B]',
};

export const FIVE_POINT_TEMPLATE: JudgeTemplate = {
  id: 'five-point-v1',
  name: 'Five-point preference',
  scale: 'five-point',
  system:
    'You rate which of two responses to the same prompt is better, considering helpfulness, truthfulness and ' +
    'harmlessness. Answer with exactly one of these labels on the last line, and nothing after it: ' +
    'A-is-clearly-better, A-is-slightly-better, Tie, B-is-slightly-better, B-is-clearly-better.',
  user: 'Prompt:\n{prompt}\n\nResponse A:\n{response_a}\n\nResponse B:\n{response_b}',
};

export const BUILT_IN_TEMPLATES: readonly JudgeTemplate[] = [PAIRWISE_TEMPLATE, FIVE_POINT_TEMPLATE];

/** The placeholders a template lacks (an empty list: it can be used). */
export function missingPlaceholders(t: Pick<JudgeTemplate, 'system' | 'user'>): string[] {
  const text = `${t.system}\n${t.user}`;
  return PLACEHOLDERS.filter((p) => !text.includes(p));
}

/** Checks a template a user wrote; throws a 'bad-option' error naming what is wrong. */
export function checkTemplate(t: JudgeTemplate): JudgeTemplate {
  if (!t.id.trim()) throw generalError('bad-option', 'The template needs an id.');
  if (t.scale !== 'pairwise' && t.scale !== 'five-point') throw generalError('bad-option', `Unknown verdict scale "${String(t.scale)}".`);
  const missing = missingPlaceholders(t);
  if (missing.length > 0)
    throw generalError('bad-option', `The template "${t.name}" lacks ${missing.join(', ')}: the judge would not see the pair.`);
  return t;
}

/** The pair as the judge sees it in one order: "ab" shows A first as answer A, "ba" shows B as answer A. */
export type JudgeOrder = 'ab' | 'ba';

/**
 * The messages for one pair in one order. Placeholders are replaced in one pass, so a response that itself
 * contains "{response_b}" is sent as written and never expanded.
 */
export function renderJudgePrompt(
  t: JudgeTemplate,
  pair: { prompt: string; responseA: string; responseB: string },
  order: JudgeOrder,
): ChatMessage[] {
  const first = order === 'ab' ? pair.responseA : pair.responseB;
  const second = order === 'ab' ? pair.responseB : pair.responseA;
  const values: Record<string, string> = { '{prompt}': pair.prompt, '{response_a}': first, '{response_b}': second };
  const fill = (s: string) => s.replace(/\{prompt\}|\{response_a\}|\{response_b\}/g, (m) => values[m]!);
  return [
    { role: 'system', content: fill(t.system) },
    { role: 'user', content: fill(t.user) },
  ];
}
