/**
 * Attribute values as Attio's spec takes them: every attribute's value is an array (`values` and
 * `entry_values` are maps of arrays in the request schemas), one item for a single-value attribute.
 * The mapping speaks in single values where that reads better; they are wrapped here, at the wire.
 * `null` means "no value", which the spec writes as an empty array; undefined attributes are left out.
 */
export function asValueArrays(values: Readonly<Record<string, unknown>>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [slug, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out[slug] = Array.isArray(value) ? value : value === null ? [] : [value];
  }
  return out;
}
