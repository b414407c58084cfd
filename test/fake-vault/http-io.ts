/** Request body reading and parsing: form, multipart (text fields), JSON, CSV. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The body, or null after dropping the connection (too large, or the client went away). */
export async function readBodyOrDrop(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | null> {
  try {
    return await readBody(req, limit);
  } catch {
    req.socket.destroy();
    return null;
  }
}

/** Last resort of a Vault-style listener: EXCEPTION / UNEXPECTED_ERROR with HTTP 200 (§5.1), if nothing was sent yet. */
export function sendVaultException(res: ServerResponse, e: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'X-VaultAPI-Status': 'EXCEPTION' });
  res.end(JSON.stringify({ responseStatus: 'EXCEPTION', errors: [{ type: 'UNEXPECTED_ERROR', message: String(e) }] }));
}

export interface ContentType {
  mime: string;
  params: Record<string, string>;
}

export function parseContentType(header: string | undefined): ContentType {
  const [mimePart = '', ...rest] = (header ?? '').split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const k = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    params[k] = v;
  }
  return { mime: mimePart.trim().toLowerCase(), params };
}

/**
 * Form fields from `application/x-www-form-urlencoded` or `multipart/form-data`
 * bodies; null for any other content type.
 */
export function parseFormFields(body: Buffer, ct: ContentType): Map<string, string> | null {
  if (ct.mime === 'application/x-www-form-urlencoded') {
    return new Map(new URLSearchParams(body.toString('utf8')));
  }
  if (ct.mime === 'multipart/form-data' && ct.params.boundary) {
    return parseMultipart(body, ct.params.boundary);
  }
  return null;
}

function parseMultipart(body: Buffer, boundary: string): Map<string, string> {
  const fields = new Map<string, string>();
  const text = body.toString('latin1');
  const parts = text.split(`--${boundary}`);
  for (const part of parts.slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const nameMatch = /name="([^"]*)"/i.exec(headers);
    if (!nameMatch?.[1]) continue;
    let value = part.slice(headerEnd + 4);
    if (value.endsWith('\r\n')) value = value.slice(0, -2);
    fields.set(nameMatch[1], Buffer.from(value, 'latin1').toString('utf8'));
  }
  return fields;
}

/** RFC 4180-ish CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && src[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
