/**
 * Single sign-on while it runs (issue 12): main opens the system browser (RFC 8252) or shows a
 * device code (RFC 8628) and reports each stage on `connections:sso-progress`. This dialog shows
 * the stage, a 5-minute countdown, the address in case the browser did not open, the device code
 * large with Copy, and Cancel. It closes itself when main says the identity provider signed in.
 */
import { useEffect, useRef, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import type { SsoProgressEvent, SsoSignInResult } from '../../../shared/contract/connections';
import { call, errorInfo, on } from '../lib/api';
import { Banner } from './Banner';
import { Modal } from './Modal';

const TIMEOUT_S = 5 * 60;

type Stage =
  | { stage: 'starting' }
  | Exclude<SsoProgressEvent, { connectionId: string; stage: 'discovering' | 'vault' }>
  | { stage: 'discovering' | 'vault' }
  | { stage: 'failed'; error: ErrorInfo };

function formatLeft(seconds: number): string {
  const s = Math.max(0, seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function SsoSignInDialog(props: {
  connection: Pick<Connection, 'id' | 'name' | 'username' | 'dns'>;
  mode?: 'browser' | 'device';
  onSignedIn: (result: SsoSignInResult) => void;
  onCancel: () => void;
}) {
  const { connection } = props;
  const [mode, setMode] = useState<'browser' | 'device'>(props.mode ?? 'browser');
  const [attempt, setAttempt] = useState(0);
  const [stage, setStage] = useState<Stage>({ stage: 'starting' });
  const [startedAt, setStartedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  const [copied, setCopied] = useState<string | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const done = useRef(props.onSignedIn);
  done.current = props.onSignedIn;

  useEffect(() => {
    let live = true;
    setStage({ stage: 'starting' });
    setStartedAt(Date.now());
    setCopied(null);
    const off = on('connections:sso-progress', (p) => {
      if (!live || p.connectionId !== connection.id) return;
      const { connectionId: _id, ...rest } = p;
      setStage(rest as Stage);
      if (p.stage === 'browser' || p.stage === 'device') {
        setStartedAt(Date.now());
        setNow(Date.now());
      }
    });
    call('connections:sso-sign-in', { id: connection.id, mode })
      .then((result) => {
        if (live) done.current(result);
      })
      .catch((error: unknown) => {
        if (live) setStage({ stage: 'failed', error: errorInfo(error) });
      });
    return () => {
      live = false;
      off();
    };
  }, [connection.id, mode, attempt]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const cancel = () => {
    void call('connections:sso-cancel', { id: connection.id }).catch(() => undefined);
    props.onCancel();
  };
  const copy = async (what: 'code' | 'address') => {
    try {
      const res = await call('connections:sso-copy', { id: connection.id, what });
      setCopied(res.copied ? (what === 'code' ? 'Code copied' : 'Address copied') : 'Nothing to copy any more');
    } catch (error) {
      setCopied(errorInfo(error).message);
    }
  };
  const left = formatLeft(Math.min(TIMEOUT_S, TIMEOUT_S - Math.floor((now - startedAt) / 1000)));
  const waiting = stage.stage === 'browser' || stage.stage === 'device';

  return (
    <Modal title={`Sign in to ${connection.name}`} onClose={cancel} initialFocus={cancelButton}>
      <div className="sso" aria-live="polite">
        {stage.stage === 'starting' || stage.stage === 'discovering' ? (
          <p>
            Finding how <strong>{connection.username}</strong> signs in…
          </p>
        ) : null}
        {stage.stage === 'browser' ? (
          <>
            <p>
              <strong>Sign in with your browser.</strong> A browser window opened at{' '}
              <span className="mono">{new URL(stage.url).host}</span>. Come back here when it says you are signed in.
            </p>
            <p className="muted">Waiting for the browser · {left} left</p>
            <details className="sso__fallback">
              <summary>The browser did not open?</summary>
              <p>Copy this address into a browser on this computer:</p>
              <input className="mono sso__url" readOnly value={stage.url} aria-label="Sign-in address" />
              <button type="button" className="btn btn--small" onClick={() => void copy('address')}>
                Copy address
              </button>
            </details>
          </>
        ) : null}
        {stage.stage === 'device' ? (
          <>
            <p>
              On any device, open <span className="mono">{stage.verificationUri}</span> and enter this code:
            </p>
            <p className="sso__code mono" aria-label={`Code ${stage.userCode.split('').join(' ')}`}>
              {stage.userCode}
            </p>
            <div className="sso__actions">
              <button type="button" className="btn btn--small" onClick={() => void copy('code')}>
                Copy code
              </button>
              <button type="button" className="btn btn--small" onClick={() => void copy('address')}>
                Copy address
              </button>
            </div>
            <p className="muted">Waiting for approval · {left} left</p>
          </>
        ) : null}
        {stage.stage === 'vault' ? <p>Signed in at the identity provider. Opening the Vault session…</p> : null}
        {stage.stage === 'failed' ? (
          <Banner tone="error" title={stage.error.code === 'CANCELLED' ? 'Sign-in stopped' : 'Sign-in did not work'}>
            <p>{stage.error.message}</p>
            {stage.error.vaultErrorType ? (
              <p>
                Vault error type: <code className="mono">{stage.error.vaultErrorType}</code>
              </p>
            ) : null}
          </Banner>
        ) : null}
        {copied ? (
          <p className="muted" role="status">
            {copied}
          </p>
        ) : null}
      </div>
      <div className="form__actions">
        {waiting || stage.stage === 'failed' ? (
          <button
            type="button"
            className="btn btn--ghost"
            onClick={() => {
              void call('connections:sso-cancel', { id: connection.id }).catch(() => undefined);
              setMode(mode === 'browser' ? 'device' : 'browser');
              setAttempt((n) => n + 1);
            }}
          >
            {mode === 'browser' ? 'Use a code instead' : 'Use the browser instead'}
          </button>
        ) : null}
        {stage.stage === 'failed' ? (
          <button type="button" className="btn" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        ) : null}
        <button ref={cancelButton} type="button" className="btn" onClick={cancel}>
          {stage.stage === 'failed' ? 'Close' : 'Cancel'}
        </button>
      </div>
    </Modal>
  );
}
