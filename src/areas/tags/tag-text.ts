/** A tag id (the paper's feature string) as people read it, e.g. "rouge 0.67–1.0" or "safety concern: moderate". */
export function readableTag(tag: string): string {
  const bin = /^(\w+)::min_val=([\d.]+)\|max_val=([\d.]+)$/.exec(tag);
  if (bin) return `${bin[1]} ${bin[2]}–${bin[3]}`;
  const closed = /^analyzer_closed_set::feature_name=(\w+)\|constraints=(.+)$/.exec(tag);
  if (closed) return `${closed[1]!.replace(/_/g, ' ')}: ${closed[2]}`;
  const scalar = /^analyzer_scalar::feature_name=(\w+)\|value=(.+)$/.exec(tag);
  if (scalar) return `${scalar[1]!.replace(/_/g, ' ')}: ${scalar[2]}`;
  const open = /^analyzer_open_set::feature_name=(\w+)\|check_for_existence=1$/.exec(tag);
  if (open) return `has ${open[1]!.replace(/_/g, ' ')}`;
  const judge = /^judge::feature_name=(\w+)$/.exec(tag);
  if (judge) return `judge: ${judge[1]!.replace(/_/g, ' ')}`;
  return tag;
}
