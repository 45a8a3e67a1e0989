// Who signs what: the names of issuers and audiences every deployable agrees
// on. People's tokens come from their municipality's identity provider; the
// gateway signs principals for cities; cities sign their messages to each other.
import type { MunicipalityCode } from './municipality';

/** Audience of people's tokens for this network (gateway and internal APIs). */
export const USER_TOKEN_AUDIENCE = 'urn:avhoppare:api';

/** The algorithm of every key this network signs with itself (gateway, cities, dev issuers). */
export const SIGNING_ALG = 'ES256';

/** The local stand-in identity provider of a municipality (demo network and tests only). */
export const devIssuer = (municipality: MunicipalityCode) => `urn:avhoppare:dev-issuer:${municipality}`;

/** The issuer name of a city's messages to other cities. */
export const cityIssuer = (municipality: MunicipalityCode) => `urn:avhoppare:city:${municipality}`;
