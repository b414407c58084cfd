/**
 * The renderer's Content-Security-Policy (security checklist in docs/architecture.md, item 7).
 * Everything comes from the app's own origin; no inline script or style, no
 * eval, no remote content, no plugins. The renderer never talks to Vault
 * itself, so connect-src is 'self' only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
