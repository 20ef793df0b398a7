import { createRng, type Rng } from '../core/prng.ts';
import { orphanId, type GeneratorContext } from './context.ts';
import { edgeDate, laterTimestamp, randomTimestamp } from './dates.ts';
import { ID_BASE, SALT } from './layout.ts';
import type { FieldSlot } from './schema.ts';
import type { DropdownOption, FieldValue, FieldValueValue, Location } from './types.ts';
import { JOB_TITLES, LOCATIONS, NOTE_WORDS, STREETS } from './words.ts';

/** Which record a batch of field values hangs off; the code is part of each value's id. */
export const SCOPE = { person: 1, organization: 2, listEntry: 3, opportunityEntry: 4 } as const;

export interface ValueScope {
  code: (typeof SCOPE)[keyof typeof SCOPE];
  index: number;
  entityId: number;
  listEntryId: number | null;
}

/** id = scope·10^12 + index·1000 + slot·10 + k: unique, stable, and no lookup table. */
function valueId(scope: ValueScope, slot: number, k: number): number {
  return scope.code * 1_000_000_000_000 + scope.index * 1000 + slot * 10 + k;
}

function location(rng: Rng): Location {
  const place = rng.pick(LOCATIONS);
  return {
    street_address: rng.chance(0.6) ? `${rng.between(1, 999)} ${rng.pick(STREETS)}` : null,
    city: place.city,
    state: place.state,
    country: place.country,
    continent: place.continent,
  };
}

function valueOf(ctx: GeneratorContext, slot: FieldSlot, rng: Rng, ordinal: number, k: number): FieldValueValue {
  const { field } = slot;
  const traits = ctx.traits.fieldValue;
  const options = field.dropdown_options;
  switch (field.value_type) {
    case 0:
      return traits.orphanReference(ordinal) ? orphanId(ID_BASE.person, ordinal) : ID_BASE.person + rng.int(ctx.counts.persons);
    case 1:
      return traits.orphanReference(ordinal) ? orphanId(ID_BASE.organization, ordinal) : ID_BASE.organization + rng.int(ctx.counts.organizations);
    case 2:
      return (options[(rng.int(options.length) + k) % options.length] as DropdownOption).text;
    case 3:
      return rng.chance(0.2) ? rng.int(100_000_000) / 100 : rng.int(10_000);
    case 4:
      return traits.edgeDate(ordinal) ? edgeDate(ordinal) : randomTimestamp(rng);
    case 5:
      return location(rng);
    case 6:
      return field.name === 'Job Title' ? rng.pick(JOB_TITLES) : Array.from({ length: rng.between(2, 8) }, () => rng.pick(NOTE_WORDS)).join(' ');
    case 7:
      return { ...(options[rng.int(options.length)] as DropdownOption) };
  }
}

/** Values of the given fields for one scope; about 70% of fields are set, multi-valued ones 1–3 times. */
export function fieldValuesFor(ctx: GeneratorContext, slots: readonly FieldSlot[], scope: ValueScope): FieldValue[] {
  const out: FieldValue[] = [];
  for (const slot of slots) {
    const rng = createRng(ctx.seed, SALT.fieldValue, scope.code, scope.index, slot.slot);
    if (!rng.chance(0.7)) continue;
    const times = slot.field.allows_multiple ? rng.between(1, 3) : 1;
    for (let k = 0; k < times; k += 1) {
      const ordinal = (scope.code * 1_000_000_000 + scope.index) * 16 + slot.slot * 3 + k;
      const createdAt = randomTimestamp(rng);
      out.push({
        id: valueId(scope, slot.slot, k),
        field_id: slot.field.id,
        list_entry_id: scope.listEntryId,
        entity_id: scope.entityId,
        value: valueOf(ctx, slot, rng, ordinal, k),
        created_at: createdAt,
        updated_at: rng.chance(0.3) ? laterTimestamp(rng, createdAt, 90) : null,
      });
    }
  }
  return out;
}
