/** Word lists the generator draws from. Kept short: variety comes from combining them. */
export const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ben', 'Carla', 'Chen', 'Dana', 'David', 'Elena', 'Emma', 'Farah', 'George', 'Grace', 'Hana',
  'Ivan', 'Jack', 'James', 'Julia', 'Kai', 'Laura', 'Leo', 'Lina', 'Maria', 'Mark', 'Mia', 'Nadia', 'Noah', 'Olivia',
  'Omar', 'Paul', 'Priya', 'Rafael', 'Rosa', 'Sam', 'Sara', 'Tom', 'Uma', 'Victor', 'Wei', 'Yara', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Adams', 'Baker', 'Brown', 'Campbell', 'Chen', 'Clark', 'Davis', 'Evans', 'Fischer', 'Garcia', 'Green', 'Hall', 'Hughes',
  'Ito', 'Jackson', 'Johnson', 'Khan', 'Kim', 'Lee', 'Lopez', 'Martin', 'Miller', 'Moore', 'Nguyen', 'Novak', 'Okafor',
  'Patel', 'Perez', 'Rossi', 'Schmidt', 'Silva', 'Smith', 'Taylor', 'Thomas', 'Walker', 'Wang', 'White', 'Wilson', 'Young',
] as const;

/** Names that break naive ASCII assumptions: accents, CJK, RTL, emoji, combining marks. */
export const UNICODE_FIRST_NAMES = ['Zoë', 'José', 'Søren', 'Łukasz', 'Ñuño', '明', 'محمد', 'Ἀθηνᾶ', 'Ölçer', '🚀 Kai', 'Renée', 'Ю́лия'] as const;
export const UNICODE_LAST_NAMES = ['Müller', 'Åström', 'Ibáñez', 'Dvořák', '王', 'עוזיאל', 'Nguyễn', "O'Brien", 'Straße', 'Ærø', 'Çelik', 'Þórsson'] as const;

export const COMPANY_WORDS = [
  'Acme', 'Apex', 'Atlas', 'Aurora', 'Beacon', 'Blue', 'Bright', 'Cedar', 'Cloud', 'Copper', 'Delta', 'Echo', 'Ember',
  'Falcon', 'Forge', 'Granite', 'Harbor', 'Helix', 'Horizon', 'Iron', 'Juniper', 'Keystone', 'Lumen', 'Maple', 'Meridian',
  'Nimbus', 'North', 'Nova', 'Oak', 'Orbit', 'Pine', 'Pioneer', 'Quantum', 'River', 'Sage', 'Signal', 'Silver', 'Summit',
  'Terra', 'Tide', 'Vector', 'Vertex', 'Willow', 'Zenith',
] as const;

export const COMPANY_SUFFIXES = ['Labs', 'Systems', 'Capital', 'Health', 'Robotics', 'Analytics', 'Ventures', 'Foods', 'Energy', 'Bio', 'AI', 'Works', 'Group', 'Partners'] as const;

export const UNICODE_COMPANY_NAMES = ['Société Générale Tech', 'Müller & Söhne GmbH', '株式会社サンプル', 'Ørsted Lab', 'Café Niño', 'Zürich Data AG', '🚀 Rocket Co', 'Łódź Soft', 'Ελληνική Τεχνολογία', 'شركة المستقبل'] as const;

export const TLDS = ['com', 'io', 'co', 'ai', 'net', 'org', 'dev', 'co.uk', 'de', 'fr'] as const;

export const PERSONAL_EMAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'icloud.com'] as const;

export const DEAL_WORDS = ['Seed', 'Series A', 'Series B', 'Bridge', 'Pilot', 'Renewal', 'Expansion', 'Enterprise license', 'Partnership', 'Follow-on'] as const;

export const LIST_NAMES = {
  person: ['Talent Pipeline', 'Advisors'],
  organization: ['Portfolio Companies', 'Prospects'],
  opportunity: ['Fundraising Pipeline', 'Partnerships'],
} as const;

export const LOCATIONS = [
  { city: 'San Francisco', state: 'California', country: 'United States', continent: 'North America' },
  { city: 'New York', state: 'New York', country: 'United States', continent: 'North America' },
  { city: 'London', state: null, country: 'United Kingdom', continent: 'Europe' },
  { city: 'Berlin', state: 'Berlin', country: 'Germany', continent: 'Europe' },
  { city: 'São Paulo', state: 'São Paulo', country: 'Brazil', continent: 'South America' },
  { city: 'Tokyo', state: 'Tokyo', country: 'Japan', continent: 'Asia' },
  { city: 'Lagos', state: 'Lagos', country: 'Nigeria', continent: 'Africa' },
  { city: 'Sydney', state: 'New South Wales', country: 'Australia', continent: 'Oceania' },
  { city: null, state: null, country: 'France', continent: 'Europe' },
] as const;

export const STREETS = ['Main St', 'Market St', 'High Street', 'Elm Ave', 'Rue de Rivoli', 'Unter den Linden', 'Baker Street', 'Harbor Blvd'] as const;

export const NOTE_WORDS = [
  'met', 'with', 'the', 'team', 'about', 'pricing', 'roadmap', 'intro', 'call', 'follow', 'up', 'next', 'week', 'board',
  'deck', 'term', 'sheet', 'customer', 'pilot', 'hiring', 'revenue', 'growth', 'churn', 'product', 'demo', 'feedback',
  'strong', 'founder', 'market', 'competition', 'timeline', 'budget', 'decision', 'legal', 'review', 'signed', 'warm',
] as const;

export const JOB_TITLES = ['CEO', 'CTO', 'VP Sales', 'Head of Product', 'Engineer', 'Designer', 'Partner', 'Analyst', 'Founder', 'COO'] as const;
