/**
 * Plays "the system browser" for single sign-on tests: follows an authorization URL to the fake
 * identity provider's login form, signs in as a seeded user, and lands on the app's loopback
 * redirect, exactly the requests a browser makes (GET the form, POST it, follow the 302).
 *
 * Self-contained (node: modules only) so it also runs as a `$BROWSER` command for the CLI tests:
 *   BROWSER="node test/helpers/sso-browser.ts" with VTD_TEST_IDP_USER / VTD_TEST_IDP_PASSWORD,
 *   trusting the fake's CA through NODE_EXTRA_CA_CERTS (Node 24 runs the file by stripping types).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

interface Answer {
  status: number;
  location: string | null;
  body: string;
}

function send(url: URL, method: string, body: string | null, ca: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (body !== null) headers['content-type'] = 'application/x-www-form-urlencoded';
    const options = { method, headers, ...(url.protocol === 'https:' && ca ? { ca } : {}) };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, body: text }));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The form fields of the first <form> (hidden request parameters included). */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no sign-in form on the page: ${html.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1]!)?.[1];
    if (name) fields[decode(name)] = decode(/value="([^"]*)"/.exec(input[1]!)?.[1] ?? '');
  }
  return { action: decode(form[1]!), fields };
}

export interface BrowserVisit {
  /** The loopback callback's answer (the app's success or error page). */
  callback: Answer;
  callbackUrl: string;
}

export async function signInThroughBrowser(
  authorizationUrl: string,
  user: { username: string; password: string },
  ca?: string,
  /** Runs between the identity provider's redirect and the loopback request (e.g. to expire the code). */
  beforeCallback?: () => void,
): Promise<BrowserVisit> {
  const start = new URL(authorizationUrl);
  const page = await send(start, 'GET', null, ca);
  if (page.status === 302 && page.location) {
    // The identity provider answered at once (an error it may redirect, RFC 6749 §4.1.2.1).
    const callbackUrl = new URL(page.location, start).toString();
    return { callback: await send(new URL(callbackUrl), 'GET', null, ca), callbackUrl };
  }
  if (page.status !== 200)
    throw new Error(`the authorization page answered ${page.status}: ${page.body.slice(0, 200)}`);
  const { action, fields } = formOf(page.body);
  fields.username = user.username;
  fields.password = user.password;
  const posted = await send(new URL(action, start), 'POST', new URLSearchParams(fields).toString(), ca);
  if (posted.status !== 302 || !posted.location) {
    throw new Error(`signing in at the identity provider answered ${posted.status}: ${posted.body.slice(0, 300)}`);
  }
  const callbackUrl = new URL(posted.location, start).toString();
  beforeCallback?.();
  return { callback: await send(new URL(callbackUrl), 'GET', null, ca), callbackUrl };
}

// As a $BROWSER command: `node sso-browser.ts URL`.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!) && process.argv[2]) {
  const caPath = process.env.NODE_EXTRA_CA_CERTS;
  signInThroughBrowser(
    process.argv[2],
    { username: process.env.VTD_TEST_IDP_USER ?? '', password: process.env.VTD_TEST_IDP_PASSWORD ?? '' },
    caPath ? readFileSync(caPath, 'utf8') : undefined,
  ).then(
    (visit) => {
      // Lets a test see that the browser ran and where it landed.
      const log = process.env.VTD_TEST_BROWSER_LOG;
      if (log) appendFileSync(log, `${visit.callback.status} ${new URL(visit.callbackUrl).host}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`test browser: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
