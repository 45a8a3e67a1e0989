// The gateway's joint evaluation report as a CSV file: fetched with the
// signed-in person's token (a plain link would carry none), then saved from
// a Blob under the name the gateway gives it.
import { problemsOfResponse, type Problems } from '../domain/errors';

/** Saves the report; resolves with null when saved, else with why not. */
export async function downloadEvaluationReport(
  agreement: string,
  accessToken: string,
): Promise<Problems | null> {
  let response: Response;
  try {
    response = await fetch(`/reports/evaluation.csv?agreement=${encodeURIComponent(agreement)}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
  } catch (error) {
    return { unavailable: [], rules: [], other: { code: 'NETWORK', message: (error as Error).message } };
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    return problemsOfResponse(response.status, body);
  }
  const blob = await response.blob();
  saveAs(blob, fileNameOf(response.headers.get('content-disposition')) ?? `evaluation-${agreement}.csv`);
  return null;
}

/** The file name of `attachment; filename="evaluation-x.csv"`, when there is one. */
function fileNameOf(disposition: string | null): string | null {
  return /filename="?([^";]+)"?/.exec(disposition ?? '')?.[1] ?? null;
}

function saveAs(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked at once, Chromium may cancel the download it has just started; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
