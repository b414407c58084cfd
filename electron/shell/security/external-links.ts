/**
 * Links the app may open in the user's browser (security checklist in docs/architecture.md, item 15:
 * never pass untrusted input to shell.openExternal). Exact https prefixes of help pages only, never a
 * whole host: a compromised page must not be able to carry a value out in a URL it picks. So no query
 * string and no credentials either; a #fragment never leaves the machine and is allowed.
 */
export const ALLOWED_EXTERNAL_PREFIXES = [
  // Veeva's Vault API and VQL reference, and Vault Help: what error messages point people to.
  'https://developer.veevavault.com/api/',
  'https://developer.veevavault.com/vql/',
  'https://developer.veevavault.com/docs/',
  'https://platform.veevavault.help/en/',
  // The checklist this app follows (docs/architecture.md).
  'https://www.electronjs.org/docs/latest/tutorial/security',
] as const;

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.search) return false;
  // URL has already resolved dot segments and lower-cased the host; compare what would be requested.
  const target = `${parsed.origin}${parsed.pathname}`;
  // A prefix ending in / covers the pages below it; one without covers that page and its subpages.
  return ALLOWED_EXTERNAL_PREFIXES.some((prefix) =>
    prefix.endsWith('/') ? target.startsWith(prefix) : target === prefix || target.startsWith(`${prefix}/`),
  );
}
