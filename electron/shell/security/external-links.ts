/**
 * Links the app may open in the user's browser (security checklist in docs/architecture.md, item 15: never pass
 * untrusted input to shell.openExternal). https only, and only these hosts.
 */
const ALLOWED_HOSTS = new Set([
  'developer.veevavault.com',
  'platform.veevavault.help',
  'github.com',
  'www.electronjs.org',
]);

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && ALLOWED_HOSTS.has(parsed.hostname) && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}
