import { describe, expect, it } from 'vitest';
import { HARDENED_WEB_PREFERENCES } from '../../electron/shell/security/web-preferences';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/security/csp';
import { isAllowedExternalUrl } from '../../electron/shell/security/external-links';

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
      disableBlinkFeatures: 'Auxclick',
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
    ['https://developer.veevavault.com/docs/', true],
    ['https://developer.veevavault.com/api/24.1/#retrieve-api-versions', true],
    ['https://platform.veevavault.help/en/gr/18666', true],
    ['https://www.electronjs.org/docs/latest/tutorial/security', true],
    ['http://developer.veevavault.com/docs/', false],
    ['https://developer.veevavault.com.evil.com/docs/', false],
    // Exact prefixes, never whole hosts (issue 11, finding 3).
    ['https://developer.veevavault.com/', false],
    ['https://developer.veevavault.com/docsx', false],
    ['https://developer.veevavault.com/docs/../uploads/x', false],
    ['https://github.com/someone/exfil/issues/new', false],
    ['https://www.electronjs.org/docs/latest/tutorial/security-evil', false],
    // A query string could carry a value out.
    ['https://developer.veevavault.com/docs/?t=veeva-vault-ABC', false],
    ['https://user:pw@developer.veevavault.com/docs/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
  ])('external link %s allowed: %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });
});

describe('development CA (fake Vault) trust', async () => {
  const { createDevCaCheck, pemBody } = await import('../../electron/shell/security/dev-ca');
  const { loadOrCreateTls } = await import('../fake-vault/certificate');
  const ca = await loadOrCreateTls();
  const other = await loadOrCreateTls();
  const check = createDevCaCheck(ca.caPem);
  // As Electron reports it: the server's leaf certificate, then its issuer.
  const leaf = (issuer: string) => ({
    data: ca.certPem.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n',
    issuerCert: { data: issuer },
  });

  it('accepts a chain ending in the configured CA on loopback hosts', () => {
    expect(pemBody(ca.caPem).length).toBeGreaterThan(100);
    expect(check({ hostname: '127.0.0.1', certificate: leaf(ca.caPem) })).toBe(true);
    expect(check({ hostname: 'localhost', certificate: leaf(ca.caPem) })).toBe(true);
  });

  it('never trusts it for another host, or another CA on loopback', () => {
    expect(check({ hostname: 'myvault.veevavault.com', certificate: leaf(ca.caPem) })).toBe(false);
    const otherLeaf = other.certPem.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n';
    expect(check({ hostname: '127.0.0.1', certificate: { data: otherLeaf, issuerCert: { data: other.caPem } } })).toBe(
      false,
    );
  });

  it('checks signatures: a leaf signed by another CA, with the dev CA appended to the chain, is refused (issue 11, finding 4)', () => {
    const otherLeaf = other.certPem.split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n';
    expect(check({ hostname: '127.0.0.1', certificate: { data: otherLeaf, issuerCert: { data: ca.caPem } } })).toBe(
      false,
    );
    expect(
      check({
        hostname: '127.0.0.1',
        certificate: { data: otherLeaf, issuerCert: { data: other.caPem, issuerCert: { data: ca.caPem } } },
      }),
    ).toBe(false);
    // The genuine leaf, even when Chromium reports no issuer, verifies against the CA itself.
    expect(check({ hostname: '127.0.0.1', certificate: { data: leaf(ca.caPem).data } })).toBe(true);
  });

  it('refuses an expired leaf and garbage', () => {
    const late = createDevCaCheck(ca.caPem, () => new Date('2999-01-01T00:00:00Z'));
    expect(late({ hostname: '127.0.0.1', certificate: leaf(ca.caPem) })).toBe(false);
    expect(
      check({ hostname: '127.0.0.1', certificate: { data: 'not a certificate', issuerCert: { data: ca.caPem } } }),
    ).toBe(false);
  });
});

describe('packaging fuses (security checklist item 19; issue 11, finding 11)', () => {
  it('are set in package.json for electron-builder, file:// privileges included', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      build: { electronFuses: Record<string, boolean> };
    };
    expect(pkg.build.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
