/**
 * A keychain of its own for the crash-safety suite, so that one test can make it vanish in the
 * middle of a command without touching the keyring every other suite shares (test/with-keyring.sh):
 * a private D-Bus session bus (no service activation, so nothing restarts the keyring behind the
 * test's back) and a GNOME Keyring in it, unlocked with a throwaway password and run in the
 * foreground so that its process id is ours to kill.
 *
 * Linux only; needs dbus-daemon, dbus-send and gnome-keyring-daemon (what CI installs: .ci/run).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './crash-process';

export interface PrivateKeyring {
  /** DBUS_SESSION_BUS_ADDRESS for a child that should use this keychain. */
  readonly address: string;
  /** Whether a Secret Service currently answers on the bus. */
  secretServiceOnBus(): Promise<boolean>;
  /** Kills the keyring daemon (SIGKILL) and waits until its name has left the bus. */
  killDaemon(): Promise<void>;
  /** Ends both processes and removes the directory. */
  stop(): Promise<void>;
}

const TOOLS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'];

/** Null when this machine can run a private keyring, else what is missing. */
export function privateKeyringUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  const path = (process.env.PATH ?? '').split(':');
  const missing = TOOLS.filter((tool) => !path.some((dir) => dir && existsSync(join(dir, tool))));
  return missing.length ? `missing ${missing.join(', ')}` : null;
}

function busConfig(socket: string): string {
  // A session bus with no <servicedir>: a name that is gone stays gone.
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPrivateKeyring(): Promise<PrivateKeyring> {
  const unavailable = privateKeyringUnavailable();
  if (unavailable) throw new Error(`cannot start a private keyring here: ${unavailable}`);
  const dir = mkdtempSync(join(tmpdir(), 'vtd-crash-keyring-'));
  const home = join(dir, 'home');
  mkdirSync(join(home, 'data'), { recursive: true });
  const socket = join(dir, 'bus');
  const config = join(dir, 'bus.conf');
  writeFileSync(config, busConfig(socket));
  const address = `unix:path=${socket}`;
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), DBUS_SESSION_BUS_ADDRESS: address };

  const bus = spawn('dbus-daemon', ['--config-file', config, '--nofork'], { env, stdio: 'ignore' });
  let daemon: ChildProcess | null = null;

  const hasOwner = (): Promise<boolean> =>
    new Promise((resolve) => {
      execFile(
        'dbus-send',
        [
          `--bus=${address}`,
          '--print-reply',
          '--dest=org.freedesktop.DBus',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.NameHasOwner',
          'string:org.freedesktop.secrets',
        ],
        { env, timeout: 5000 },
        (error, stdout) => resolve(!error && /boolean true/.test(stdout)),
      );
    });
  const poll = (what: string, wanted: boolean): Promise<boolean> =>
    waitFor(what, async () => (await hasOwner()) === wanted, { timeoutMs: 20_000 });

  const keyring: PrivateKeyring = {
    address,
    secretServiceOnBus: hasOwner,
    async killDaemon() {
      if (!daemon) return;
      daemon.kill('SIGKILL');
      await ended(daemon);
      await poll('the Secret Service to leave the private bus', false);
    },
    async stop() {
      for (const child of [daemon, bus]) {
        if (child && child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await ended(child);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await waitFor('the private D-Bus socket', () => existsSync(socket), { timeoutMs: 10_000 });
    daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // The login keyring's password on stdin (as test/with-keyring.sh does): created unlocked.
    daemon.stdin?.end('vtd-crash-keyring');
    await poll('the Secret Service on the private bus', true);
    return keyring;
  } catch (error) {
    await keyring.stop();
    throw error;
  }
}
