import { rightPercent, type LinkCount } from './link-counts.ts';

/** What each counted association is called in a report a customer reads. */
const LINK_TITLES: Record<string, string> = {
  'person.company': 'people → company',
  'opportunity.associatedCompany': 'deals → company',
  'opportunity.associatedPeople': 'deals → people',
};

/**
 * `  people → company: 1,200 right (100.0 % of 1,200 records), 0 wrong, 0 missing; source names none for 0, not migrated for 0`
 * (multi-valued links, e.g. deals → people, count links: `… (100.0 % of 2,000 links) …`).
 */
export function linkLines(report: { links: Record<string, LinkCount> }): string[] {
  const int = (n: number): string => n.toLocaleString('en-US');
  const lines: string[] = [];
  for (const [name, c] of Object.entries(report.links)) {
    const share = rightPercent(c);
    const of = c.unit === 'record' ? `${int(c.records)} records` : `${int(c.checked)} links`;
    lines.push(`  ${LINK_TITLES[name] ?? name}: ${int(c.right)} right (${share === null ? '-' : `${share.toFixed(1)} %`} of ${of}), ${int(c.wrong)} wrong, ${int(c.missing)} missing; source names none for ${int(c.sourceHasNone)}, not migrated for ${int(c.notMigrated)}`);
    for (const e of c.examples) lines.push(`      e.g. ${e}`);
  }
  return lines;
}
