/**
 * Redirect URIs a native app may use (RFC 8252): the loopback interface over
 * plain http, any port (§7.3: "MUST allow any port to be specified at the
 * time of the request for loopback IP redirect URIs"), IPv4 127.0.0.1 or IPv6
 * [::1]. `localhost` is refused (§8.3: NOT RECOMMENDED, it can resolve off
 * the loopback). The path must be the client's registered one, with no query
 * and no fragment (RFC 6749 §3.1.2: no fragment).
 */
export function isAllowedLoopbackRedirect(raw: string, registeredPath: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  if (url.hostname !== '127.0.0.1' && url.hostname !== '[::1]') return false;
  if (url.port === '' || url.username !== '' || url.password !== '') return false;
  if (url.search !== '' || url.hash !== '' || raw.includes('#')) return false;
  return url.pathname === registeredPath;
}
