import type { AffinityLocation } from '../affinity/affinity-types.ts';
import { cleanText } from './normalize.ts';

/**
 * Affinity locations carry a country *name*; Attio wants an ISO 3166-1 alpha-2 code. The table
 * covers the countries CRM data mostly holds; an unknown name leaves country_code null and the
 * name is kept on line_2 so nothing the user typed is lost.
 */
const COUNTRY_CODES: Record<string, string> = {
  'united states': 'US', usa: 'US', 'united states of america': 'US', us: 'US', 'united kingdom': 'GB', uk: 'GB',
  'great britain': 'GB', england: 'GB', scotland: 'GB', wales: 'GB', canada: 'CA', mexico: 'MX', brazil: 'BR',
  argentina: 'AR', chile: 'CL', colombia: 'CO', peru: 'PE', germany: 'DE', france: 'FR', spain: 'ES', portugal: 'PT',
  italy: 'IT', netherlands: 'NL', 'the netherlands': 'NL', belgium: 'BE', luxembourg: 'LU', switzerland: 'CH',
  austria: 'AT', ireland: 'IE', denmark: 'DK', sweden: 'SE', norway: 'NO', finland: 'FI', iceland: 'IS',
  poland: 'PL', czechia: 'CZ', 'czech republic': 'CZ', slovakia: 'SK', hungary: 'HU', romania: 'RO', bulgaria: 'BG',
  greece: 'GR', turkey: 'TR', türkiye: 'TR', ukraine: 'UA', russia: 'RU', estonia: 'EE', latvia: 'LV', lithuania: 'LT',
  israel: 'IL', 'united arab emirates': 'AE', uae: 'AE', 'saudi arabia': 'SA', egypt: 'EG', nigeria: 'NG', kenya: 'KE',
  'south africa': 'ZA', india: 'IN', pakistan: 'PK', china: 'CN', japan: 'JP', 'south korea': 'KR', korea: 'KR',
  taiwan: 'TW', 'hong kong': 'HK', singapore: 'SG', indonesia: 'ID', vietnam: 'VN', thailand: 'TH', malaysia: 'MY',
  philippines: 'PH', australia: 'AU', 'new zealand': 'NZ',
};

export function countryCode(name: string | null | undefined): string | null {
  const text = cleanText(name);
  if (text === '') return null;
  if (/^[A-Za-z]{2}$/.test(text)) return text.toUpperCase();
  return COUNTRY_CODES[text.toLowerCase()] ?? null;
}

/** Attio location write value: every key present, nulls included (Attio rejects partial objects). */
export interface AttioLocation {
  line_1: string | null;
  line_2: string | null;
  line_3: string | null;
  line_4: string | null;
  locality: string | null;
  region: string | null;
  postcode: string | null;
  country_code: string | null;
  latitude: string | null;
  longitude: string | null;
}

export function toAttioLocation(loc: AffinityLocation): { value: AttioLocation | null; warning?: string } {
  const street = cleanText(loc.street_address) || null;
  const city = cleanText(loc.city) || null;
  const state = cleanText(loc.state) || null;
  const country = cleanText(loc.country) || null;
  if (!street && !city && !state && !country) return { value: null };
  const code = countryCode(country);
  const value: AttioLocation = {
    line_1: street,
    line_2: country && !code ? country : null,
    line_3: null,
    line_4: null,
    locality: city,
    region: state,
    postcode: null,
    country_code: code,
    latitude: null,
    longitude: null,
  };
  return code || !country ? { value } : { value, warning: `unknown country "${country}" kept as address line 2` };
}
