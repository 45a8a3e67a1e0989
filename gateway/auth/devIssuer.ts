// The local dev identity provider: one per municipality, used by the demo
// network and the tests. Production tokens come from each city's own IdP.
import { importJWK, SignJWT } from 'jose';
import { devIssuer, devIssuerKeyFiles, USER_TOKEN_AUDIENCE } from '../../schema/contract/identity';
import { ensureKeyPair, SIGNING_ALG } from '../../schema/contract/keys';

export { ROLES, type Role } from '../../schema/contract/roles';

export interface DevTokenRequest {
  municipality: string;
  roles?: string[];
  unit?: string | null;
  subject?: string;
  /** jose duration, e.g. "8h". @default "8h" */
  expiresIn?: string;
}

export async function mintDevToken(keysDir: string, request: DevTokenRequest): Promise<string> {
  const jwk = await ensureKeyPair(devIssuerKeyFiles(keysDir, request.municipality));
  const key = await importJWK(jwk, SIGNING_ALG);
  return new SignJWT({
    municipality: request.municipality,
    unit: request.unit ?? null,
    roles: request.roles ?? ['caseworker'],
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(devIssuer(request.municipality))
    .setAudience(USER_TOKEN_AUDIENCE)
    .setSubject(request.subject ?? `dev-user-${request.municipality}`)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(key);
}
