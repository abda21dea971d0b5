// Untrusted Markdown shown as React elements built from the parsed tree (src/domain/markdown). No HTML
// string ever reaches the DOM: there is no dangerouslySetInnerHTML here, every text is a React text child
// (escaped by React), and the only attributes set are class names, fixed link attributes and an href that
// passed the http(s)/mailto allow-list twice (when parsed and again here).
//
// Links: by default an <a> that opens in a new tab with no opener, no referrer and nofollow, so the
// workbench itself never navigates away; the address's host is printed beside link text that does not
// show it, so a deceptive link text cannot hide where it goes. With links="text" nothing is clickable: the
// address is printed as selectable text to copy. Images are never loaded: a labelled placeholder shows the
// description and the address as text.
import { Fragment, useMemo, type ReactNode } from 'react';
import { highlight, parseMarkdown, plainText, safeHref, type MdBlock, type MdInline, type TokenKind } from '../domain/markdown';

export type LinkMode = 'anchor' | 'text';

export interface MarkdownProps {
  text: string;
  /** How links are shown (default 'anchor': a new tab, no referrer). */
  links?: LinkMode;
  /** Single newlines are line breaks (default true). */
  breaks?: boolean;
  className?: string;
}

const TOKEN_CLASS: Record<Exclude<TokenKind, 'plain'>, string> = {
  keyword: 'text-indigo-700 font-semibold',
  string: 'text-emerald-700',
  comment: 'text-slate-500 italic',
  number: 'text-amber-700',
};

const HEADING_CLASS = [
  '',
  'text-xl font-bold',
  'text-lg font-bold',
  'text-base font-semibold',
  'text-base font-semibold',
  'text-sm font-semibold',
  'text-sm font-semibold text-slate-600',
] as const;

const ALIGN_CLASS = { left: 'text-left', center: 'text-center', right: 'text-right' } as const;

/** Renders untrusted Markdown safely. Long lines wrap; code blocks and wide tables scroll on their own. */
export function Markdown({ text, links = 'anchor', breaks = true, className = '' }: MarkdownProps) {
  const blocks = useMemo(() => parseMarkdown(text, { breaks }), [text, breaks]);
  return (
    <div className={`min-w-0 break-words [overflow-wrap:anywhere] ${className}`} data-markdown="">
      {renderBlocks(blocks, links, false)}
    </div>
  );
}

function hostOf(href: string): string {
  if (href.toLowerCase().startsWith('mailto:')) return href.slice(7);
  try {
    return new URL(href).host;
  } catch {
    return href;
  }
}

function renderLink(n: Extract<MdInline, { type: 'link' }>, key: number, mode: LinkMode): ReactNode {
  const href = safeHref(n.href);
  const children = renderInlines(n.children, mode);
  if (!href) return <Fragment key={key}>{children}</Fragment>;
  const shown = plainText(n.children).trim();
  const host = hostOf(href);
  if (mode === 'text') {
    return (
      <span key={key}>
        <span className="underline decoration-dotted">{children}</span>
        {shown !== href && (
          <span
            className="ml-1 select-all rounded bg-slate-100 px-1 font-mono text-xs text-slate-600"
            title="Address (not a link): select to copy"
          >
            {href}
          </span>
        )}
      </span>
    );
  }
  return (
    <Fragment key={key}>
      <a
        href={href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        referrerPolicy="no-referrer"
        title={href}
        className="text-indigo-700 underline"
      >
        {children}
      </a>
      {shown !== href && !shown.includes(host) && <span className="ml-1 text-xs text-slate-500">({host})</span>}
    </Fragment>
  );
}

function renderInlines(nodes: readonly MdInline[], mode: LinkMode): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.type) {
      case 'text':
        return <Fragment key={i}>{n.text}</Fragment>;
      case 'break':
        return <br key={i} />;
      case 'code':
        return (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.9em]">
            {n.text}
          </code>
        );
      case 'emphasis':
        return <em key={i}>{renderInlines(n.children, mode)}</em>;
      case 'strong':
        return <strong key={i}>{renderInlines(n.children, mode)}</strong>;
      case 'link':
        return renderLink(n, i, mode);
      case 'image':
        return (
          <span
            key={i}
            className="rounded border border-dashed border-slate-300 px-1 text-xs text-slate-600"
            title="Images in pairs are never loaded"
          >
            [image{n.alt ? `: ${n.alt}` : ''}] <span className="select-all font-mono">{n.url}</span>
          </span>
        );
    }
  });
}

function renderCode(code: string, lang: string): ReactNode {
  return highlight(code, lang).map((t, j) =>
    t.kind === 'plain' ? (
      <Fragment key={j}>{t.text}</Fragment>
    ) : (
      <span key={j} className={TOKEN_CLASS[t.kind]}>
        {t.text}
      </span>
    ),
  );
}

function renderBlocks(blocks: readonly MdBlock[], mode: LinkMode, tight: boolean): ReactNode[] {
  return blocks.map((b, i) => {
    switch (b.type) {
      case 'paragraph':
        return (
          <p key={i} className={tight ? 'my-0' : 'my-2'}>
            {renderInlines(b.children, mode)}
          </p>
        );
      case 'heading': {
        const Tag = `h${b.level}` as const;
        return (
          <Tag key={i} className={`mt-3 mb-1 ${HEADING_CLASS[b.level]}`}>
            {renderInlines(b.children, mode)}
          </Tag>
        );
      }
      case 'code':
        return (
          <div key={i} className="my-2 min-w-0">
            {b.lang && <div className="rounded-t-md bg-slate-200 px-2 py-0.5 font-mono text-[0.7rem] text-slate-600">{b.lang}</div>}
            <pre
              className={`max-w-full overflow-x-auto bg-slate-50 p-2 text-xs [overflow-wrap:normal] ${b.lang ? 'rounded-b-md' : 'rounded-md'}`}
            >
              <code className="whitespace-pre font-mono">{renderCode(b.text, b.lang)}</code>
            </pre>
          </div>
        );
      case 'blockquote':
        return (
          <blockquote key={i} className="my-2 border-l-4 border-slate-300 pl-3 text-slate-700">
            {renderBlocks(b.children, mode, false)}
          </blockquote>
        );
      case 'list': {
        const items = b.items.map((item, j) => <li key={j}>{renderBlocks(item, mode, b.tight)}</li>);
        return b.ordered ? (
          <ol key={i} start={b.start} className="my-2 list-decimal pl-6">
            {items}
          </ol>
        ) : (
          <ul key={i} className="my-2 list-disc pl-6">
            {items}
          </ul>
        );
      }
      case 'table':
        return (
          <div key={i} className="my-2 max-w-full overflow-x-auto">
            <table className="border-collapse text-sm">
              <thead>
                <tr>
                  {b.header.map((cell, j) => (
                    <th key={j} className={`border border-slate-300 bg-slate-100 px-2 py-1 ${ALIGN_CLASS[b.align[j] ?? 'left']}`}>
                      {renderInlines(cell, mode)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {b.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, j) => (
                      <td key={j} className={`border border-slate-300 px-2 py-1 align-top ${ALIGN_CLASS[b.align[j] ?? 'left']}`}>
                        {renderInlines(cell, mode)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      case 'hr':
        return <hr key={i} className="my-3 border-slate-300" />;
    }
  });
}
