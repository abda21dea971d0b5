// The typed tree that untrusted Markdown is parsed into. It holds text and a closed set of node kinds only:
// there is no node that carries HTML, a style or an attribute, so a renderer cannot be asked to emit one.

export type Align = 'left' | 'center' | 'right' | null;

export type MdInline =
  | { type: 'text'; text: string }
  | { type: 'emphasis'; children: MdInline[] }
  | { type: 'strong'; children: MdInline[] }
  | { type: 'code'; text: string }
  /** `href` has passed `safeHref` (http, https or mailto only). */
  | { type: 'link'; href: string; children: MdInline[] }
  /** An image is never loaded: renderers show its description and address as text. */
  | { type: 'image'; alt: string; url: string }
  | { type: 'break' };

export type MdBlock =
  | { type: 'paragraph'; children: MdInline[] }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: MdInline[] }
  /** `lang` is lower case, `[a-z0-9_+#.-]` only, or '' when the fence named none (or an odd one). */
  | { type: 'code'; lang: string; text: string }
  /** `tight`: no blank lines between the items, so renderers may drop paragraph spacing inside them. */
  | { type: 'list'; ordered: boolean; start: number; tight: boolean; items: MdBlock[][] }
  | { type: 'blockquote'; children: MdBlock[] }
  | { type: 'table'; align: Align[]; header: MdInline[][]; rows: MdInline[][][] }
  | { type: 'hr' };

/** The text of inline nodes without their formatting. Iterative, so arbitrarily deep trees cannot overflow. */
export function plainText(nodes: readonly MdInline[]): string {
  let out = '';
  const stack: MdInline[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i]!);
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'text':
      case 'code':
        out += n.text;
        break;
      case 'break':
        out += '\n';
        break;
      case 'image':
        out += n.alt;
        break;
      default:
        for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
  }
  return out;
}
