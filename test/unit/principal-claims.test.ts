// A principal's claims are copied into every log entry it causes: a token,
// even one a city of the network signed for itself, carries only so much.
import { describe, expect, it } from 'vitest';
import { toPrincipal } from '../../schema/contract/principal';

const claims = { municipality: '1280', sub: 'city', unit: 'mal-centrum', roles: ['caseworker'] };

describe('the claims a principal carries', () => {
  it('are read as they are when within bounds', () => {
    expect(toPrincipal({ ...claims, sub: 's'.repeat(255) })).toEqual({
      municipality: '1280',
      unit: 'mal-centrum',
      subject: 's'.repeat(255),
      permissions: ['caseworker'],
    });
  });

  it('are refused when a subject or a unit is longer than a principal may carry', () => {
    for (const longer of [{ sub: 's'.repeat(256) }, { unit: 'u'.repeat(101) }]) {
      expect(() => toPrincipal({ ...claims, ...longer })).toThrow('longer than a principal may carry');
    }
  });

  it('keep of the roles only the permissions the matrix knows, however many others come with them', () => {
    const roles = ['r'.repeat(10_000), ...Array.from({ length: 500 }, (_, i) => `role-${i}`), 'auditor'];
    expect(toPrincipal({ ...claims, roles }).permissions).toEqual(['auditor']);
  });
});
