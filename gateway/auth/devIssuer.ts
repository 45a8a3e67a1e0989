// The local dev identity provider: one per municipality, used by the demo
// network and the tests. Production tokens come from each city's own IdP:
// a production process never trusts these issuers, and `npm run token`
// refuses to mint with NODE_ENV=production.
import { importJWK, SignJWT } from 'jose';
import { devIssuer, USER_TOKEN_AUDIENCE } from '../../schema/contract/identity';
import { devIssuerKeyFiles } from '../../runtime/keys';
import { ensureKeyPair } from '../../runtime/keys';
import { SIGNING_ALG } from '../../schema/contract/identity';

export { PERMISSIONS } from '../../schema/contract/permissions';

export interface DevTokenRequest {
  municipality: string;
  permissions?: string[];
  unit?: string | null;
  subject?: string;
  /** jose duration, e.g. "30m"; verifiers refuse a lifetime over TOKEN_MAX_AGE_SECONDS. @default "1h" */
  expiresIn?: string;
}

export async function mintDevToken(keysDir: string, request: DevTokenRequest): Promise<string> {
  const jwk = await ensureKeyPair(devIssuerKeyFiles(keysDir, request.municipality));
  const key = await importJWK(jwk, SIGNING_ALG);
  return new SignJWT({
    municipality: request.municipality,
    unit: request.unit ?? null,
    // Permissions travel in the `roles` claim, the name identity providers use.
    roles: request.permissions ?? ['caseworker'],
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(devIssuer(request.municipality))
    .setAudience(USER_TOKEN_AUDIENCE)
    .setSubject(request.subject ?? `dev-user-${request.municipality}`)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '1h')
    .sign(key);
}
