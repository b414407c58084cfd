import { useEffect, useRef, useState } from 'react';
import { call, errorInfo } from '../lib/api';
import type { ErrorInfo } from '../../../shared/errors';

const MASK = '••••••••••••••••';

/**
 * A token value, masked. Reveal asks main for it (keychain or, after a
 * keychain failure, memory) and masks it again after main's `maskAfterMs` or
 * when the window is hidden. Copy lets main write the clipboard, which main
 * clears again. The value only ever lives in this component's state: never in
 * storage, the URL or a log.
 */
export function SecretField(props: { rowId: number; label?: string; onCopied?: () => void; disabled?: boolean }) {
  const [value, setValue] = useState<string | null>(null);
  const [status, setStatus] = useState<string>('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState<'reveal' | 'copy' | null>(null);
  const maskTimer = useRef<number | undefined>(undefined);

  const mask = () => {
    window.clearTimeout(maskTimer.current);
    setValue(null);
  };

  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') mask();
    };
    document.addEventListener('visibilitychange', onHide);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.clearTimeout(maskTimer.current);
    };
  }, []);

  const reveal = async () => {
    if (value !== null) {
      mask();
      setStatus('Hidden again.');
      return;
    }
    setBusy('reveal');
    setError(null);
    try {
      const res = await call('tokens:reveal', { rowId: props.rowId });
      setValue(res.value);
      const seconds = Math.round(res.maskAfterMs / 1000);
      setStatus(`Shown for ${seconds} s, then masked again.`);
      window.clearTimeout(maskTimer.current);
      maskTimer.current = window.setTimeout(() => {
        setValue(null);
        setStatus('Masked again.');
      }, res.maskAfterMs);
    } catch (e) {
      setError(errorInfo(e));
    } finally {
      setBusy(null);
    }
  };

  const copy = async () => {
    setBusy('copy');
    setError(null);
    try {
      const res = await call('tokens:copy', { rowId: props.rowId });
      setStatus(`Copied — the clipboard clears in ${Math.round(res.clearsAfterMs / 1000)} s`);
      props.onCopied?.();
    } catch (e) {
      setError(errorInfo(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="secret">
      <div className="secret__label">{props.label ?? 'Token value'}</div>
      <div className="secret__row">
        <code
          className={`secret__value mono${value === null ? ' secret__value--masked' : ''}`}
          aria-label={value === null ? 'Token value, masked' : 'Token value'}
          data-testid="secret-value"
        >
          {value ?? MASK}
        </code>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => void reveal()}
          disabled={props.disabled || busy !== null}
          aria-pressed={value !== null}
        >
          {busy === 'reveal' ? 'Revealing…' : value === null ? 'Reveal' : 'Hide'}
        </button>
        <button
          type="button"
          className="btn btn--small btn--primary"
          onClick={() => void copy()}
          disabled={props.disabled || busy !== null}
        >
          {busy === 'copy' ? 'Copying…' : 'Copy'}
        </button>
      </div>
      <p className="secret__status muted" role="status" aria-live="polite">
        {status}
      </p>
      {error ? (
        <p className="field__error" role="alert">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
