/**
 * Trying the app against the local fake Vault (`npm run fake-vault`): its certificate is signed
 * by a throwaway CA that no OS store knows. When VAULT_TOKEN_DESK_DEV_CA names that CA's PEM file,
 * certificates that chain to it are accepted, for loopback hosts only and only in unpackaged
 * builds (main.ts). Every other host keeps Chromium's own verdict. (Node's NODE_EXTRA_CA_CERTS does
 * not reach Electron's net.fetch, which uses Chromium's certificate verifier.)
 *
 * "Chains to it" is checked by signature, link by link, not by finding the CA's body somewhere in
 * the chain: a leaf signed by another CA with the dev CA appended is refused (issue 11, finding 4).
 */
import { X509Certificate } from 'node:crypto';

export interface ChainCertificate {
  data: string;
  issuerCert?: ChainCertificate | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const MAX_DEPTH = 5;

/** The base64 DER inside a PEM block, whitespace removed: equal bodies mean the same certificate. */
export function pemBody(pem: string): string {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  return (match?.[1] ?? '').replace(/\s+/g, '');
}

function parse(pem: string | undefined): X509Certificate | null {
  try {
    return pem ? new X509Certificate(pem) : null;
  } catch {
    return null;
  }
}

function validNow(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

/** `child` names `parent` as its issuer and carries `parent`'s signature. */
function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

export function createDevCaCheck(
  caPem: string,
  now: () => Date = () => new Date(),
): (request: { hostname: string; certificate: ChainCertificate }) => boolean {
  const ca = parse(caPem);
  if (!ca || !pemBody(caPem)) throw new Error('VAULT_TOKEN_DESK_DEV_CA does not contain a PEM certificate.');
  return ({ hostname, certificate }) => {
    if (!LOOPBACK.has(hostname)) return false;
    const leaf = parse(certificate.data);
    if (!leaf || !validNow(leaf, now())) return false;
    // Walk up the chain Chromium reports; every link must be a verified signature.
    let node: ChainCertificate | null | undefined = certificate;
    let current: X509Certificate | null = leaf;
    for (let depth = 0; node && current && depth < MAX_DEPTH; depth++) {
      if (current.fingerprint256 === ca.fingerprint256) return true;
      if (signedBy(current, ca)) return true;
      const issuer = parse(node.issuerCert?.data);
      if (!issuer || !validNow(issuer, now()) || !signedBy(current, issuer)) return false;
      node = node.issuerCert;
      current = issuer;
    }
    return false;
  };
}
