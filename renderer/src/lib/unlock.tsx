/**
 * When main needs a connection's secret that is not in the keychain (it
 * answers GUARD with a `secret` field error), ask for it once, hand it to
 * `connections:unlock` (memory only, this run) and retry the action.
 * A single sign-on connection whose sign-in ended (SIGN_IN_REQUIRED) gets
 * the browser sign-in instead, then the action is retried.
 */
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { AUTH_SECRET_WORD, type Connection } from '../../../shared/domain';
import { SecretPrompt } from '../components/SecretPrompt';
import { SsoSignInDialog } from '../components/SsoSignInDialog';
import { SecretsPrompt } from '../components/SecretsPrompt';
import type { SecretNeed } from '../../../shared/contract/connections';
import { call, errorInfo } from './api';
import type { ErrorInfo } from '../../../shared/errors';

type Asked = Pick<Connection, 'id' | 'name' | 'authMethod'> &
  Partial<Pick<Connection, 'username' | 'dns' | 'secretStored' | 'secretRefused'>>;
type Ask = (connection: Asked, reason: string) => Promise<boolean>;

const UnlockContext = createContext<Ask>(async () => false);

/** What the secrets are asked for: its words in the prompt (SecretsPrompt). */
export type AskManyPurpose = 'sync' | 'rotate';
type AskMany = (
  needs: { connection: Connection; need: SecretNeed }[],
  purpose?: AskManyPurpose,
) => Promise<Set<string>>;
const AskManyContext = createContext<AskMany>(async () => new Set());

export function needsSignIn(error: unknown): boolean {
  return signInNeededIn(errorInfo(error));
}

export function needsSecret(error: unknown): boolean {
  return secretNeededIn(errorInfo(error));
}

/** Main asked for a password, token or session id (a GUARD with a `secret` field). */
export function secretNeededIn(info: ErrorInfo): boolean {
  return info.code === 'GUARD' && Boolean(info.fields?.secret);
}

/** Single sign-on whose session could not renew itself. */
export function signInNeededIn(info: ErrorInfo): boolean {
  return info.code === 'SIGN_IN_REQUIRED';
}

/**
 * The Unlock prompt offers to replace a saved password (ticked when Vault refused it: issue 13,
 * item 1) or to save one; a session id is never saved.
 */
export function rememberOption(c: Asked): { label: string; checked: boolean } | undefined {
  if (c.authMethod === 'session' || c.authMethod === 'sso') return undefined;
  const word = AUTH_SECRET_WORD[c.authMethod];
  if (c.secretStored) return { label: `Replace the saved ${word} in the keychain`, checked: Boolean(c.secretRefused) };
  return { label: `Remember the ${word} in the keychain`, checked: false };
}

export function UnlockProvider({ children }: { children: ReactNode }) {
  const [asking, setAsking] = useState<{ connection: Asked; reason: string } | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const [askingMany, setAskingMany] = useState<{ connection: Connection; need: SecretNeed }[] | null>(null);
  const [manyPurpose, setManyPurpose] = useState<AskManyPurpose>('sync');
  const manyResolver = useRef<((unlocked: Set<string>) => void) | null>(null);
  const askMany = useCallback<AskMany>(
    (needs, purpose = 'sync') =>
      new Promise<Set<string>>((resolve) => {
        manyResolver.current?.(new Set());
        manyResolver.current = resolve;
        setManyPurpose(purpose);
        setAskingMany(needs);
      }),
    [],
  );

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
      <AskManyContext.Provider value={askMany}>
        {children}
        {askingMany ? (
          <SecretsPrompt
            needs={askingMany}
            purpose={manyPurpose}
            onDone={(unlocked) => {
              manyResolver.current?.(unlocked);
              manyResolver.current = null;
              setAskingMany(null);
            }}
          />
        ) : null}
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
            remember={rememberOption(asking.connection)}
            onCancel={() => finish(false)}
            onSubmit={async (secret, remember) => {
              await call('connections:unlock', { id: asking.connection.id, secret, remember });
              finish(true);
            }}
          />
        ) : null}
      </AskManyContext.Provider>
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

/** Asks once for every connection's missing secret (before Sync all); resolves with those unlocked. */
export function useAskSecrets(): AskMany {
  return useContext(AskManyContext);
}
