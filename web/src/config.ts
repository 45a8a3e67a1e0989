// The sign-in configuration the gateway serves beside the app (/app-config.json):
// the app is built once and runs in front of any network.
export interface AppConfig {
  clientId: string;
  municipalities: { code: string; name: string; authority: string | null }[];
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/app-config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`/app-config.json: HTTP ${response.status}`);
  return (await response.json()) as AppConfig;
}
