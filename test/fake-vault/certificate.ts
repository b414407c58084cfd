/**
 * TLS material for the fake: a local CA (CA:true, the file to trust via
 * NODE_EXTRA_CA_CERTS or the `ca` option) and a server certificate signed by
 * it with SAN IP:127.0.0.1 and DNS:localhost. A separate leaf is used because
 * some TLS stacks (Chromium's) refuse a CA certificate as a server
 * certificate; trusting the CA covers both.
 *
 * With a certDir that already holds valid files they are reused, so the
 * CA stays stable across runs (the CLI's --cert-dir).
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  caPath: string;
  caPem: string;
  /** Server certificate chain (leaf, then CA). */
  certPem: string;
  keyPem: string;
  dir: string;
}

const FILES = {
  ca: 'ca.pem',
  caKey: 'ca-key.pem',
  cert: 'server.pem',
  key: 'server-key.pem',
} as const;

const DAY = 86_400_000;

function stillValid(certPem: string, caPem: string): boolean {
  try {
    const leaf = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    const soon = Date.now() + DAY;
    return (
      leaf.checkIssued(ca) &&
      leaf.verify(ca.publicKey) &&
      new Date(leaf.validTo).getTime() > soon &&
      new Date(ca.validTo).getTime() > soon &&
      leaf.checkIP('127.0.0.1') !== undefined &&
      leaf.checkHost('localhost') !== undefined
    );
  } catch {
    return false;
  }
}

function tryReuse(dir: string): TlsMaterial | null {
  const paths = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, join(dir, f)])) as Record<
    keyof typeof FILES,
    string
  >;
  if (!Object.values(paths).every((p) => existsSync(p))) return null;
  const caPem = readFileSync(paths.ca, 'utf8');
  const leafPem = readFileSync(paths.cert, 'utf8');
  if (!stillValid(leafPem, caPem)) return null;
  return {
    caPath: paths.ca,
    caPem,
    certPem: `${leafPem.trim()}\n${caPem.trim()}\n`,
    keyPem: readFileSync(paths.key, 'utf8'),
    dir,
  };
}

/** Real wall-clock dates: TLS validation never sees the injected clock. */
export async function loadOrCreateTls(certDir?: string): Promise<TlsMaterial> {
  const dir = certDir ?? mkdtempSync(join(tmpdir(), 'fake-vault-'));
  mkdirSync(dir, { recursive: true });
  if (certDir) {
    const reused = tryReuse(dir);
    if (reused) return reused;
  }
  const notBefore = new Date(Date.now() - DAY);
  const ca = await generate([{ name: 'commonName', value: 'Vault Token Desk Fake Vault CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: new Date(notBefore.getTime() + 3650 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: new Date(notBefore.getTime() + 397 * DAY),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const caPath = join(dir, FILES.ca);
  writeFileSync(caPath, ca.cert);
  writeFileSync(join(dir, FILES.caKey), ca.private, { mode: 0o600 });
  writeFileSync(join(dir, FILES.cert), leaf.cert);
  writeFileSync(join(dir, FILES.key), leaf.private, { mode: 0o600 });
  return { caPath, caPem: ca.cert, certPem: `${leaf.cert.trim()}\n${ca.cert.trim()}\n`, keyPem: leaf.private, dir };
}
