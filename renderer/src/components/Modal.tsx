import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

/**
 * A modal on the native <dialog>: the browser traps focus and makes the rest
 * of the page inert. Escape calls `onClose` unless `locked` (a step the user
 * must finish first, e.g. saving a value the keychain refused).
 */
export function Modal(props: {
  title: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  onClose: () => void;
  locked?: boolean;
  wide?: boolean;
  /** Focused when the dialog opens; the first focusable element otherwise. */
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
  describedBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const lockedRef = useRef(props.locked);
  lockedRef.current = props.locked;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    const target = props.initialFocus?.current;
    if (target) target.focus();
    return () => {
      if (dialog?.open) dialog.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once on open: focus and showModal() must not repeat when props change
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide ? ' dialog--wide' : ''}${props.className ? ` ${props.className}` : ''}`}
      aria-labelledby={titleId}
      aria-describedby={props.describedBy}
      onCancel={(e) => {
        e.preventDefault();
        if (!lockedRef.current) props.onClose();
      }}
    >
      <div className="dialog__header">
        <h2 id={titleId}>{props.title}</h2>
        {props.locked ? null : (
          <button type="button" className="btn btn--ghost btn--icon" onClick={props.onClose} aria-label="Close">
            ✕
          </button>
        )}
      </div>
      <div className="dialog__body">{props.children}</div>
      {props.footer ? <div className="dialog__actions">{props.footer}</div> : null}
    </dialog>
  );
}
