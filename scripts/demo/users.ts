// The demo network's people: one per municipality and permission, each with
// the unit they work at. Obviously fictional; their password is "demo".
import type { Permission } from '../../schema/contract/permissions';

export interface DemoUser {
  /** What they type at the identity provider's sign-in page. */
  username: string;
  name: string;
  municipality: string;
  unit: string | null;
  permissions: Permission[];
}

export const DEMO_PASSWORD = 'demo';

const TITLES: Record<Permission, string> = {
  caseworker: 'Handläggare',
  coordinator: 'Samordnare',
  finance: 'Ekonom',
  auditor: 'Granskare',
};

/** Per municipality: its short name in user names and the unit of each permission. */
const CITIES: Record<string, { short: string; city: string; units: Record<Permission, string | null> }> = {
  '0180': {
    short: 'sto',
    city: 'Stockholm',
    units: {
      caseworker: 'sto-spanga-tensta',
      coordinator: 'sto-central',
      finance: 'sto-central',
      auditor: null,
    },
  },
  '1480': {
    short: 'gbg',
    city: 'Göteborg',
    units: { caseworker: 'gbg-nordost', coordinator: 'gbg-nordost', finance: 'gbg-centrum', auditor: null },
  },
  '1280': {
    short: 'mmo',
    city: 'Malmö',
    units: { caseworker: 'mmo-ass', coordinator: 'mmo-ass', finance: 'mmo-ass', auditor: null },
  },
};

export const DEMO_USERS: readonly DemoUser[] = Object.entries(CITIES).flatMap(([municipality, city]) =>
  (Object.keys(TITLES) as Permission[]).map((permission) => ({
    username: `${city.short}-${permission}`,
    name: `Demo ${TITLES[permission]} ${city.city}`,
    municipality,
    unit: city.units[permission],
    permissions: [permission],
  })),
);

export const demoUsersOf = (municipality: string) =>
  DEMO_USERS.filter((u) => u.municipality === municipality);
