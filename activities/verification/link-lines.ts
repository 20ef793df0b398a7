import type { LinkCount } from './link-counts.ts';

/** What each counted association is called in a report a customer reads. */
const LINK_TITLES: Record<string, string> = {
  'person.company': 'people → company',
  'opportunity.associatedCompany': 'deals → company',
  'opportunity.associatedPeople': 'deals → people',
};

/** Share of target records whose link is right, e.g. `100.0 %` (records, not links: a record the source left unlinked counts against it). */
export function linkShare(count: LinkCount): string {
  return count.records === 0 ? '-' : `${((count.right / count.records) * 100).toFixed(1)} %`;
}

/**
 * `  people → company: 1,200 of 1,200 records right (100.0 %), 0 wrong, 0 missing; source names none for 0, not migrated for 0`
 * For multi-valued links (deals → people) right/wrong/missing count links, the share still records.
 */
export function linkLines(report: { links: Record<string, LinkCount> }): string[] {
  const int = (n: number): string => n.toLocaleString('en-US');
  const lines: string[] = [];
  for (const [name, c] of Object.entries(report.links)) {
    const title = LINK_TITLES[name] ?? name;
    const share = name === 'opportunity.associatedPeople' ? '' : ` (${linkShare(c)} of ${int(c.records)} records)`;
    lines.push(`  ${title}: ${int(c.right)} right${share}, ${int(c.wrong)} wrong, ${int(c.missing)} missing; source names none for ${int(c.sourceHasNone)}, not migrated for ${int(c.notMigrated)}`);
    for (const e of c.examples) lines.push(`      e.g. ${e}`);
  }
  return lines;
}
