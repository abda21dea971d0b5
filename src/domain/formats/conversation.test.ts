import { describe, expect, it } from 'vitest';
import { hash32, chosenOnA } from './coin';
import {
  isHhTranscript,
  isMessageList,
  joinPromptMessages,
  parseHhTranscript,
  parseMessageList,
  responseFromMessages,
  splitConversations,
  splitHhPair,
} from './conversation';

const u = (content: string) => ({ role: 'user', content });
const a = (content: string) => ({ role: 'assistant', content });

describe('parseMessageList', () => {
  it('reads role/content lists, JSON-encoded lists, ShareGPT lists and text parts', () => {
    expect(parseMessageList([u('hi'), a('yo')], 'c')).toEqual({ ok: true, messages: [u('hi'), a('yo')] });
    expect(parseMessageList(JSON.stringify([u('hi')]), 'c')).toEqual({ ok: true, messages: [u('hi')] });
    expect(
      parseMessageList(
        [
          { from: 'human', value: 'hi' },
          { from: 'gpt', value: 'yo' },
        ],
        'c',
      ),
    ).toEqual({ ok: true, messages: [u('hi'), a('yo')] });
    const parts = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: {} },
          { type: 'text', text: 'here' },
        ],
      },
    ];
    expect(parseMessageList(parts, 'c')).toEqual({ ok: true, messages: [u('look\nhere')] });
    expect(parseMessageList([{ role: 'assistant', content: null }], 'c')).toEqual({ ok: true, messages: [a('')] });
  });

  it('explains what is wrong', () => {
    expect(parseMessageList('plain text', 'chosen')).toEqual({ ok: false, reason: 'chosen: expected a list of messages' });
    expect(parseMessageList(['x'], 'chosen')).toEqual({ ok: false, reason: 'chosen: message 1 is not a {role, content} object' });
    expect(parseMessageList([u('x'), { role: 'user', content: { a: 1 } }], 'chosen')).toEqual({
      ok: false,
      reason: 'chosen: message 2 has no text content',
    });
  });

  it('recognises message lists for shape scoring', () => {
    expect(isMessageList([u('x')])).toBe(true);
    expect(isMessageList(JSON.stringify([u('x')]))).toBe(true);
    expect(isMessageList([])).toBe(false);
    expect(isMessageList('["x"]')).toBe(false);
    expect(isMessageList('text')).toBe(false);
  });
});

describe('splitConversations', () => {
  it('shares the leading turns up to the last user turn', () => {
    expect(splitConversations([u('q'), a('x')], [u('q'), a('y')])).toEqual({ prefix: [u('q')], restA: [a('x')], restB: [a('y')] });
    expect(splitConversations([u('q1'), a('s'), u('q2'), a('x')], [u('q1'), a('s'), u('q2'), a('y')]).prefix).toHaveLength(3);
  });

  it('never takes a whole side or ends on an assistant turn', () => {
    expect(splitConversations([u('q'), a('x')], [u('q'), a('x')])).toEqual({ prefix: [u('q')], restA: [a('x')], restB: [a('x')] });
    expect(splitConversations([u('q'), a('s'), a('x')], [u('q'), a('s'), a('y')])).toEqual({
      prefix: [u('q')],
      restA: [a('s'), a('x')],
      restB: [a('s'), a('y')],
    });
    expect(splitConversations([a('x')], [a('y')]).prefix).toEqual([]);
  });

  it('renders the rest as plain assistant text, or with roles when other roles appear', () => {
    expect(responseFromMessages([a('one'), a('two')])).toBe('one\n\ntwo');
    expect(responseFromMessages([a('one'), u('more?'), a('two')])).toBe('Assistant: one\n\nUser: more?\n\nAssistant: two');
  });

  it('does not repeat an explicit prompt the conversations start with', () => {
    expect(joinPromptMessages([u('q')], [u('q')])).toEqual([u('q')]);
    expect(joinPromptMessages([u('sys?')], [u('q')])).toEqual([u('sys?'), u('q')]);
    expect(joinPromptMessages([], [u('q')])).toEqual([u('q')]);
  });
});

describe('HH transcripts', () => {
  it('parses turns and ignores nothing but the empty lead-in', () => {
    expect(parseHhTranscript('\n\nHuman: Hi there \n\nAssistant: Hello\n\nHuman: Bye')).toEqual([u('Hi there'), a('Hello'), u('Bye')]);
    expect(parseHhTranscript('Human: Hi\n\nAssistant: Yo')).toEqual([u('Hi'), a('Yo')]);
    expect(parseHhTranscript('Preamble\n\nHuman: Hi')).toEqual([u('Preamble'), u('Hi')]);
  });

  it('splits a pair where one response extends the other', () => {
    expect(splitHhPair('\n\nHuman: Q\n\nAssistant: Sure', '\n\nHuman: Q\n\nAssistant: Sure thing')).toEqual({
      ok: true,
      messages: [u('Q')],
      chosen: 'Sure',
      rejected: 'Sure thing',
    });
  });

  it('keeps diverging later turns inside the responses', () => {
    const split = splitHhPair('\n\nHuman: Q\n\nAssistant: A\n\nHuman: more\n\nAssistant: x', '\n\nHuman: Q\n\nAssistant: B');
    expect(split).toEqual({ ok: true, messages: [u('Q')], chosen: 'A\n\nHuman: more\n\nAssistant: x', rejected: 'B' });
  });

  it('recognises transcripts', () => {
    expect(isHhTranscript('\n\nHuman: Q\n\nAssistant: A')).toBe(true);
    expect(isHhTranscript('Human: Q\n\nAssistant: A')).toBe(true);
    expect(isHhTranscript('Just text')).toBe(false);
    expect(isHhTranscript(3)).toBe(false);
  });
});

describe('coin', () => {
  it('is a stable 32-bit hash', () => {
    expect(hash32('')).toBe(hash32(''));
    expect(hash32('a')).not.toBe(hash32('b'));
    expect(hash32('abc')).toBeGreaterThanOrEqual(0);
    expect(hash32('abc')).toBeLessThan(2 ** 32);
    expect(chosenOnA(1, 'row-1')).toBe(chosenOnA(1, 'row-1'));
  });
});
