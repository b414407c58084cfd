/**
 * When main needs a connection's secret that is not in the keychain (it
 * answers GUARD with a `secret` field error), ask for it once, hand it to
 * `connections:unlock` (memory only, this run) and retry the action.
 * A single sign-on connection whose sign-in ended (SIGN_IN_REQUIRED) gets
 * the browser sign-in instead, then the action is retried.
 */
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import type { Connection } from '../../../shared/domain';
import { SecretPrompt } from '../components/SecretPrompt';
import { SsoSignInDialog } from '../components/SsoSignInDialog';
import { call, errorInfo } from './api';

type Asked = Pick<Connection, 'id' | 'name' | 'authMethod'> & Partial<Pick<Connection, 'username' | 'dns'>>;
type Ask = (connection: Asked, reason: string) => Promise<boolean>;

const UnlockContext = createContext<Ask>(async () => false);

export function needsSignIn(error: unknown): boolean {
  return errorInfo(error).code === 'SIGN_IN_REQUIRED';
}

export function needsSecret(error: unknown): boolean {
  const info = errorInfo(error);
  return info.code === 'GUARD' && Boolean(info.fields?.secret);
}

export function UnlockProvider({ children }: { children: ReactNode }) {
  const [asking, setAsking] = useState<{ connection: Asked; reason: string } | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);

  const ask = useCallback<Ask>(
    (connection, reason) =>
      new Promise<boolean>((resolve) => {
        resolver.current?.(false);
        resolver.current = resolve;
        setAsking({ connection, reason });
      }),
    [],
  );

  const finish = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setAsking(null);
  };

  return (
    <UnlockContext.Provider value={ask}>
      {children}
      {asking?.connection.authMethod === 'sso' ? (
        <SsoSignInDialog
          connection={{
            id: asking.connection.id,
            name: asking.connection.name,
            username: asking.connection.username ?? 'this user',
            dns: asking.connection.dns ?? '',
          }}
          onSignedIn={() => finish(true)}
          onCancel={() => finish(false)}
        />
      ) : asking ? (
        <SecretPrompt
          title={`Unlock ${asking.connection.name}`}
          authMethod={asking.connection.authMethod}
          intro={asking.reason}
          submitLabel="Unlock and continue"
          onCancel={() => finish(false)}
          onSubmit={async (secret) => {
            await call('connections:unlock', { id: asking.connection.id, secret });
            finish(true);
          }}
        />
      ) : null}
    </UnlockContext.Provider>
  );
}

/** Runs `fn`; if main needs the connection's secret, asks for it and runs `fn` once more. */
export function useWithUnlock() {
  const ask = useContext(UnlockContext);
  return useCallback(
    async <T,>(connection: Asked | undefined, fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (e) {
        if (connection && (needsSecret(e) || needsSignIn(e)) && (await ask(connection, errorInfo(e).message)))
          return fn();
        throw e;
      }
    },
    [ask],
  );
}

/**
 * Asks for a connection's secret and hands it to main for this run (or, for single sign-on, runs the
 * browser sign-in); resolves true when unlocked.
 */
export function useAskSecret(): Ask {
  return useContext(UnlockContext);
}
