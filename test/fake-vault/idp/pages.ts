/**
 * HTML of the fake IdP: the login form of /authorize, the device verification
 * form and message pages. Plain HTML with inline style only, no script (the
 * response's Content-Security-Policy forbids any), so a browser driven by a
 * test (or a person) signs in with ordinary form posts.
 */

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}' +
  'main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}' +
  'label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}' +
  'button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}';

export function page(title: string, content: string): string {
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>${content}</main></body></html>`
  );
}

function errorLine(error: string | null): string {
  return error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
}

function hiddenFields(fields: [string, string][]): string {
  return fields.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
}

function credentialFields(username: string): string {
  return (
    `<label for="username">User name</label>` +
    `<input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(username)}" required>` +
    `<label for="password">Password</label>` +
    `<input id="password" name="password" type="password" autocomplete="current-password" required>`
  );
}

/** /authorize: the request's parameters ride along as hidden fields and are validated again on POST. */
export function loginPage(
  request: [string, string][],
  clientId: string,
  username: string,
  error: string | null,
): string {
  return page(
    'Sign in',
    `<p>Sign in to continue to <strong>${escapeHtml(clientId)}</strong>.</p>${errorLine(error)}` +
      `<form method="post" action="/authorize">${hiddenFields(request)}${credentialFields(username)}` +
      `<button type="submit">Sign in</button></form>`,
  );
}

/** RFC 8628 §3.3: the user enters the user code and approves or denies. */
export function devicePage(userCode: string, username: string, error: string | null): string {
  return page(
    'Connect a device',
    `<p>Enter the code shown on your device.</p>${errorLine(error)}<form method="post" action="/device">` +
      `<label for="user_code">Code</label>` +
      `<input id="user_code" name="user_code" type="text" autocomplete="off" value="${escapeHtml(userCode)}" required>` +
      `${credentialFields(username)}` +
      `<button type="submit" name="action" value="approve">Approve</button> ` +
      `<button type="submit" name="action" value="deny">Deny</button></form>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<p>${escapeHtml(text)}</p>`);
}
