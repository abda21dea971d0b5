// Conversations as the shapes meet them: message lists (TRL, Arena) and Anthropic HH transcripts.
import { renderMessages, type Message } from '../instance';
import { jsonList } from './record-builder';

export type MessagesParse = { ok: true; messages: Message[] } | { ok: false; reason: string };

// ShareGPT names its roles differently; everything else keeps the role it was given.
const ROLE_ALIASES: Record<string, string> = { human: 'user', gpt: 'assistant' };

/** Reads a list of {role, content} messages (or ShareGPT {from, value}); a JSON-encoded list is accepted too. */
export function parseMessageList(value: unknown, column: string): MessagesParse {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? jsonList(value) : undefined;
  if (!list) return { ok: false, reason: `${column}: expected a list of messages` };
  const messages: Message[] = [];
  for (let i = 0; i < list.length; i++) {
    const m: unknown = list[i];
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      return { ok: false, reason: `${column}: message ${i + 1} is not a {role, content} object` };
    }
    const obj = m as Record<string, unknown>;
    const role = obj.role ?? obj.from;
    if (typeof role !== 'string' || role.trim() === '') return { ok: false, reason: `${column}: message ${i + 1} has no role` };
    const content = contentText('content' in obj ? obj.content : obj.value);
    if (content === undefined) return { ok: false, reason: `${column}: message ${i + 1} has no text content` };
    messages.push({ role: ROLE_ALIASES[role] ?? role, content });
  }
  return { ok: true, messages };
}

/** True when a value is (or encodes) a list of message objects; for shape recognition. */
export function isMessageList(value: unknown): boolean {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value.trimStart().startsWith('[{') ? jsonList(value) : undefined;
  if (!list || list.length === 0) return false;
  return list.every((m) => m !== null && typeof m === 'object' && !Array.isArray(m) && ('role' in m || 'from' in m));
}

// OpenAI-style content may be a list of parts; only text parts are kept. null content (tool calls) is ''.
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  if (typeof content === 'number' || typeof content === 'boolean') return String(content);
  if (Array.isArray(content)) {
    const parts: string[] = [];
    for (const part of content) {
      if (typeof part === 'string') parts.push(part);
      else if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
        parts.push((part as { text: string }).text);
      }
    }
    return parts.join('\n');
  }
  return undefined;
}

/**
 * Splits two conversations into the shared prompt (their common leading messages) and what each side adds.
 * The shared part never takes a whole side and never ends on an assistant turn, so each side keeps its answer.
 */
export function splitConversations(
  a: readonly Message[],
  b: readonly Message[],
): { prefix: Message[]; restA: Message[]; restB: Message[] } {
  let k = 0;
  while (k < a.length && k < b.length && a[k]!.role === b[k]!.role && a[k]!.content === b[k]!.content) k++;
  while (k > 0 && (k >= a.length || k >= b.length || a[k - 1]!.role === 'assistant')) k--;
  return { prefix: a.slice(0, k), restA: a.slice(k), restB: b.slice(k) };
}

/** A response from the messages after the prompt: assistant turns joined, or a role-labelled rendering when other roles appear. */
export function responseFromMessages(rest: readonly Message[]): string {
  if (rest.every((m) => m.role === 'assistant')) return rest.map((m) => m.content).join('\n\n');
  return renderMessages(rest);
}

/** The prompt turns: an explicit prompt followed by the shared leading turns, without repeating what both hold. */
export function joinPromptMessages(explicit: readonly Message[], prefix: readonly Message[]): Message[] {
  const repeats =
    explicit.length <= prefix.length && explicit.every((m, i) => m.role === prefix[i]!.role && m.content === prefix[i]!.content);
  return repeats ? [...prefix] : [...explicit, ...prefix];
}

const HH_ASSISTANT = '\n\nAssistant:';

/** True when text looks like an Anthropic HH transcript ("\n\nHuman: ...\n\nAssistant: ..."). */
export function isHhTranscript(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('\n\nHuman:') || value.startsWith('Human:')) && value.includes(HH_ASSISTANT);
}

/** Parses an HH transcript into user/assistant turns; text before the first marker counts as a user turn. */
export function parseHhTranscript(text: string): Message[] {
  const marker = /(?:^|\n\n)(Human|Assistant):/g;
  const messages: Message[] = [];
  let role = 'user';
  let start = 0;
  let leading = true;
  const push = (end: number): void => {
    const content = text.slice(start, end).trim();
    // The first segment is whatever precedes the first marker: usually nothing.
    if (leading) {
      leading = false;
      if (content === '') return;
    }
    messages.push({ role, content });
  };
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    push(m.index);
    role = m[1] === 'Human' ? 'user' : 'assistant';
    start = m.index + m[0].length;
  }
  push(text.length);
  return messages;
}

export type HhSplit = { ok: true; messages: Message[]; chosen: string; rejected: string } | { ok: false; reason: string };

/** Splits a chosen/rejected transcript pair at the last "Assistant:" before they diverge. */
export function splitHhPair(chosen: string, rejected: string): HhSplit {
  const n = Math.min(chosen.length, rejected.length);
  let d = 0;
  while (d < n && chosen.charCodeAt(d) === rejected.charCodeAt(d)) d++;
  const at = d >= HH_ASSISTANT.length ? chosen.lastIndexOf(HH_ASSISTANT, d - HH_ASSISTANT.length) : -1;
  if (at === -1) return { ok: false, reason: 'chosen and rejected share no dialogue up to an "Assistant:" turn' };
  const after = at + HH_ASSISTANT.length;
  return {
    ok: true,
    messages: parseHhTranscript(chosen.slice(0, at)),
    chosen: dropOneSpace(chosen.slice(after)),
    rejected: dropOneSpace(rejected.slice(after)),
  };
}

function dropOneSpace(text: string): string {
  return text.startsWith(' ') ? text.slice(1) : text;
}
