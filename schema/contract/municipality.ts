/** Official four-digit municipality code (kommunkod), e.g. "0180". */
export type MunicipalityCode = string & { readonly __brand?: 'MunicipalityCode' };

const CODE_PATTERN = /^\d{4}$/;

export function isMunicipalityCode(value: unknown): value is MunicipalityCode {
  return typeof value === 'string' && CODE_PATTERN.test(value);
}
