/**
 * Asks the browser to save a file from the one-time download store (GET /bundles/<token>, served
 * as an attachment): exported bundles, briefs and map exports all leave the app this way, since
 * the desktop window loads nothing but app:// (no blob: URLs).
 */
export function startDownload(token: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = new URL(`/bundles/${token}`, location.href).href;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
