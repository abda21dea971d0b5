import { stripBidiControls } from '../domain/bidi';

/** A name that came from outside, shown so that its bidi controls cannot reorder the text around it. */
export function Name({ text, className }: { text: string; className?: string }) {
  return <bdi className={className}>{stripBidiControls(text)}</bdi>;
}
