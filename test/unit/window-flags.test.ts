import { describe, expect, it } from 'vitest';
import { HARDENED_WEB_PREFERENCES } from '../../electron/security/web-preferences';
import { CONTENT_SECURITY_POLICY } from '../../electron/security/csp';
import { isAllowedExternalUrl } from '../../electron/security/external-links';

describe('renderer hardening', () => {
  it('sets the security checklist flags explicitly', () => {
    expect(HARDENED_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('has a strict CSP: self only, no inline or eval, no objects', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it.each([
    ['https://developer.veevavault.com/docs', true],
    ['http://developer.veevavault.com/docs', false],
    ['https://developer.veevavault.com.evil.com/', false],
    ['https://user:pw@github.com/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
  ])('external link %s allowed: %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });
});
