// Who signs what. People's tokens come from their municipality's identity
// provider; locally each municipality has a dev issuer whose key lives in the
// keys directory (created on first use, never committed).
import { keyFiles, type KeyFiles } from './keys';
import type { MunicipalityCode } from './municipality';

/** Audience of people's tokens for this network (gateway and internal APIs). */
export const USER_TOKEN_AUDIENCE = 'urn:avhoppare:api';

export const DEFAULT_KEYS_DIR = '.data/keys';

export const devIssuer = (municipality: MunicipalityCode) => `urn:avhoppare:dev-issuer:${municipality}`;

export const devIssuerKeyFiles = (keysDir: string, municipality: MunicipalityCode): KeyFiles =>
  keyFiles(keysDir, `issuer-${municipality}`);

export const gatewayKeyFiles = (keysDir: string): KeyFiles => keyFiles(keysDir, 'gateway');

/** The key a city signs its messages to other cities with. */
export const cityKeyFiles = (keysDir: string, municipality: MunicipalityCode): KeyFiles =>
  keyFiles(keysDir, `city-${municipality}`);

/** The issuer name of a city's messages to other cities. */
export const cityIssuer = (municipality: MunicipalityCode) => `urn:avhoppare:city:${municipality}`;
