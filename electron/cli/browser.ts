/**
 * Opening the system browser from the command line, for single sign-on (RFC 8252: the system
 * browser, never an embedded one). On Linux and the BSDs `$BROWSER` wins, as in `gh` and `az`
 * (Python's webbrowser convention: a `:`-separated list of commands, `%s` standing for the URL),
 * then `xdg-open`; macOS uses `open`, Windows the URL protocol handler (no shell, so `&` in a
 * query string is not a command separator). The URL is always printed too, in case nothing opens.
 */
import { spawn } from 'node:child_process';

export interface BrowserCommand {
  command: string;
  args: string[];
}

export function browserCommand(
  url: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): BrowserCommand | null {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  const first = env.BROWSER?.split(':')
    .map((s) => s.trim())
    .find(Boolean);
  if (first) {
    // Split on spaces only: $BROWSER names a program and maybe fixed flags, never shell syntax.
    const words = first.split(/\s+/);
    const hasSlot = words.some((w) => w.includes('%s'));
    const args = words.slice(1).map((w) => w.replace('%s', url));
    return { command: words[0]!, args: hasSlot ? args : [...args, url] };
  }
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { command: 'xdg-open', args: [url] };
  return null;
}

/** Whether there is a browser to open here; without one, sign-in uses a device code. */
export function canOpenBrowser(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): boolean {
  return browserCommand('https://example.invalid/', env, platform) !== null;
}

/** Starts the browser and does not wait for it (a browser may stay open for hours). */
export function openBrowser(env: Record<string, string | undefined>): (url: string) => Promise<void> {
  return (url) =>
    new Promise((resolve, reject) => {
      const found = browserCommand(url, env);
      if (!found) return reject(new Error('no browser to open'));
      const child = spawn(found.command, found.args, {
        stdio: 'ignore',
        detached: true,
        env: env as NodeJS.ProcessEnv,
      });
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
}
