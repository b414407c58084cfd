/**
 * Vault DNS as a person types it: `host` or `host:port`. The scheme is always
 * https (docs/vault-api.md §1.2: `https://{vaultDNS}/api/{version}`), so a pasted
 * URL is reduced to its host and a plain-http URL is refused.
 */
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export type DnsCheck = { ok: true; dns: string } | { ok: false; message: string };

export function normaliseVaultDns(input: string): DnsCheck {
  let text = input.trim();
  if (!text) return { ok: false, message: 'Enter the Vault DNS, for example myvault.veevavault.com.' };
  if (/^http:\/\//i.test(text))
    return { ok: false, message: 'Vault is reached over https only; enter the host without http://.' };
  text = text.replace(/^https:\/\//i, '');
  // Accept a pasted URL such as https://x.veevavault.com/ui/#home by keeping the host part.
  text = text.split(/[/?#]/, 1)[0] ?? '';
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(text);
  if (!match) return { ok: false, message: 'Use host or host:port, for example myvault.veevavault.com.' };
  const host = (match[1] ?? '').toLowerCase();
  const port = match[2];
  if (port !== undefined) {
    const n = Number(port);
    if (n < 1 || n > 65535) return { ok: false, message: 'The port must be between 1 and 65535.' };
  }
  const isIp = IPV4.test(host);
  if (!isIp) {
    const labels = host.split('.');
    if (host.length > 253 || labels.some((l) => !LABEL.test(l))) {
      return { ok: false, message: `“${host}” is not a valid host name.` };
    }
  }
  // :443 is https's own port: the same Vault as the bare host (as URL.host has it).
  return { ok: true, dns: port && Number(port) !== 443 ? `${host}:${Number(port)}` : host };
}
