// The network: which municipalities take part, where their cities answer and
// whose keys they sign with. Shared by the gateway and every city.
// Adding a municipality is an entry here (or in NETWORK_FILE), never code.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const identityProvider = z
  .object({
    issuer: z.string().min(1),
    /** `aud` of its tokens; USER_TOKEN_AUDIENCE when absent, which production does not accept. */
    audience: z.string().min(1).optional(),
    /** A local JWKS file (dev issuers) ... */
    jwksFile: z.string().optional(),
    /** ... or the identity provider's JWKS URL (production). */
    jwksUrl: z.string().url().optional(),
  })
  .refine((p) => Boolean(p.jwksFile) !== Boolean(p.jwksUrl), 'set exactly one of jwksFile and jwksUrl');

const municipality = z.object({
  code: z.string().regex(/^\d{4}$/),
  name: z.string().min(1),
  /** Base URL of the city process; role endpoints are /casework/graphql and /execution/graphql. */
  url: z.string().url(),
  identityProvider: identityProvider.optional(),
  /** Keys the city signs its messages to other cities with (default: the local dev key). */
  peerJwksFile: z.string().optional(),
  peerJwksUrl: z.string().url().optional(),
});

export const networkSchema = z.object({ municipalities: z.array(municipality).min(1) });

export type NetworkConfig = z.infer<typeof networkSchema>;
export type MunicipalityEntry = z.infer<typeof municipality>;
export type IdentityProviderConfig = z.infer<typeof identityProvider>;

/** The local demo network: the three cities on their default ports. */
export const DEMO_NETWORK: NetworkConfig = {
  municipalities: [
    { code: '0180', name: 'Stockholm', url: 'http://127.0.0.1:4101' },
    { code: '1480', name: 'Göteborg', url: 'http://127.0.0.1:4102' },
    { code: '1280', name: 'Malmö', url: 'http://127.0.0.1:4103' },
  ],
};

export function readNetwork(file: string | undefined): NetworkConfig {
  let raw: unknown = DEMO_NETWORK;
  if (file) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'not JSON';
      throw new Error(`Invalid network configuration: cannot read ${file} (${reason})`);
    }
  }
  const parsed = networkSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid network configuration: ${z.prettifyError(parsed.error)}`);
  const codes = parsed.data.municipalities.map((m) => m.code);
  const duplicate = codes.find((code, i) => codes.indexOf(code) !== i);
  if (duplicate) throw new Error(`Invalid network configuration: municipality ${duplicate} is listed twice`);
  return parsed.data;
}
