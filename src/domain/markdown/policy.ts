// What an address in untrusted text may become. Only web and mail addresses turn into links; everything
// else (javascript:, data:, vbscript:, file:, relative and protocol-relative paths, anything with control
// characters or spaces) stays text. An allow-list, so spelling tricks such as "java\tscript:" or
// "JaVaScRiPt:" cannot slip through a deny-list.

export const MAX_HREF_LENGTH = 2048;

/** The address if it may be a link (http://host…, https://host…, mailto:…), otherwise null. */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  if (href.length === 0 || href.length > MAX_HREF_LENGTH) return null;
  for (let i = 0; i < href.length; i++) {
    const c = href.charCodeAt(i);
    // Control characters, spaces and DEL never belong in an address, and browsers strip some of them
    // before reading the scheme; refusing them removes that whole class of tricks.
    if (c <= 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return null;
  }
  const head = href.slice(0, 8).toLowerCase();
  if (head.startsWith('http://') || head.startsWith('https://')) {
    const rest = href.slice(head.startsWith('https://') ? 8 : 7);
    // A host must follow: "http:///x" and "http://\x" are read by browsers in surprising ways.
    if (rest.length === 0 || rest[0] === '/' || rest[0] === '\\') return null;
    return href;
  }
  if (head.startsWith('mailto:')) return href.length > 7 ? href : null;
  return null;
}

const EMAIL_LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** A plain e-mail address, as written in `<user@example.org>` autolinks. */
export function isEmailAddress(s: string): boolean {
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@') || s.length > 254) return false;
  if (!EMAIL_LOCAL.test(s.slice(0, at))) return false;
  const labels = s.slice(at + 1).split('.');
  return labels.length >= 1 && labels.every((l) => l.length <= 63 && DOMAIN_LABEL.test(l));
}
