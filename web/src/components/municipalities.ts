// Municipality names from the sign-in configuration: every party of the network.
import { useCallback } from 'react';
import { useSession } from '../auth/session';

export function useMunicipalityName(): (code: string) => string {
  const { config } = useSession();
  return useCallback(
    (code: string) => config.municipalities.find((m) => m.code === code)?.name ?? code,
    [config],
  );
}

export function useMunicipalities() {
  return useSession().config.municipalities;
}
