/**
 * Trying the app against the local fake Vault (`npm run fake-vault`): its
 * certificate is signed by a throwaway CA that no OS store knows. When
 * VAULT_TOKEN_DESK_DEV_CA names that CA's PEM file, certificates chaining to
 * it are accepted — for loopback hosts only. Every other host keeps
 * Chromium's own verdict. (Node's NODE_EXTRA_CA_CERTS does not reach
 * Electron's net.fetch, which uses Chromium's certificate verifier.)
 */
export interface ChainCertificate {
  data: string;
  issuerCert?: ChainCertificate | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The base64 DER inside a PEM block, whitespace removed: equal bodies mean the same certificate. */
export function pemBody(pem: string): string {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  return (match?.[1] ?? '').replace(/\s+/g, '');
}

export function createDevCaCheck(
  caPem: string,
): (request: { hostname: string; certificate: ChainCertificate }) => boolean {
  const ca = pemBody(caPem);
  if (!ca) throw new Error('VAULT_TOKEN_DESK_DEV_CA does not contain a PEM certificate.');
  return ({ hostname, certificate }) => {
    if (!LOOPBACK.has(hostname)) return false;
    for (
      let cert: ChainCertificate | null | undefined = certificate, depth = 0;
      cert && depth < 5;
      cert = cert.issuerCert, depth++
    ) {
      if (pemBody(cert.data) === ca) return true;
    }
    return false;
  };
}
