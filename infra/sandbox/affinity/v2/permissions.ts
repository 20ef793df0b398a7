/**
 * The in-product permissions the v2 spec names on its endpoints ("Requires the … permission"; 403
 * `authorization` otherwise), by the paths that need them. A sandbox key can be denied some of them
 * (`deniedPermissions`), as an Affinity admin can take them from the key's user.
 */
export const V2_PERMISSIONS = ['Export All Organizations directory', 'Export All People directory', 'Export data from Lists'] as const;
export type AffinityPermission = (typeof V2_PERMISSIONS)[number];

const NEEDS: ReadonlyArray<{ permission: AffinityPermission; path: RegExp }> = [
  { permission: 'Export All Organizations directory', path: /^v2\/companies(\/[^/]+)?$/ },
  { permission: 'Export All People directory', path: /^v2\/persons(\/[^/]+)?$/ },
  { permission: 'Export data from Lists', path: /^v2\/(companies|persons)\/[^/]+\/list-entries$/ },
  { permission: 'Export data from Lists', path: /^v2\/lists\/[^/]+\/(saved-views\/[^/]+\/)?list-entries(\/.*)?$/ },
  { permission: 'Export data from Lists', path: /^v2\/opportunities(\/[^/]+)?$/ },
];

/** The permission a GET of these path segments needs and the key lacks, if any. */
export function missingPermission(segments: readonly string[], denied: readonly string[] | undefined): AffinityPermission | undefined {
  if (!denied || denied.length === 0) return undefined;
  const path = segments.join('/');
  return NEEDS.find((n) => denied.includes(n.permission) && n.path.test(path))?.permission;
}
