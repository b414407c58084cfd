/**
 * Focus and keyboard rules of Generate and its token panel (issue 13, item 7), after the WAI-ARIA
 * APG dialog pattern (https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/): focus goes back to
 * what opened the dialog when it closes, and a failed submit sends focus to the first invalid field.
 */
import { useEffect, type KeyboardEvent, type RefObject } from 'react';

/** The element that has focus now, when it is a real element (not the page body). */
export function focusedElement(): HTMLElement | null {
  const el = document.activeElement;
  return el instanceof HTMLElement && el !== document.body ? el : null;
}

/**
 * When the component unmounts, focus goes back to `target` if focus was lost with it (it was in
 * the removed dialog, so the page body has it now). If something else already took focus (the next
 * dialog), it is left alone. React removes the dialog's DOM before this cleanup runs, which is why
 * the browser's own return of focus on <dialog>.close() never happens here.
 */
export function useReturnFocus(target: RefObject<HTMLElement | null> | undefined): void {
  useEffect(
    () => () => {
      const el = target?.current;
      const lost = focusedElement() === null || !document.activeElement?.isConnected;
      if (el && el.isConnected && lost) el.focus();
    },
    [target],
  );
}

/** Input types that are text fields, where Enter submits a form as people expect. */
const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number']);

/**
 * A form's onKeyDown: Enter submits only from a text field or a button (the submit button is
 * one). Browsers also submit on Enter from a radio or checkbox ("implicit submission"), which
 * minted a token when someone pressed Enter on an expiry choice.
 */
export function enterSubmitsOnlyFromTextFields(e: KeyboardEvent<HTMLFormElement>): void {
  if (e.key !== 'Enter') return;
  const target = e.target;
  if (target instanceof HTMLInputElement && !TEXT_INPUTS.has(target.type)) e.preventDefault();
}

/** The first field of `form` marked aria-invalid, in the order the form shows them. */
export function firstInvalidField(form: HTMLElement | null): HTMLElement | null {
  return form?.querySelector<HTMLElement>('[aria-invalid="true"]:not([disabled])') ?? null;
}

/**
 * The token panel's primary action, Copy: SecretField's primary button (components/SecretField.tsx
 * has no ref for it; the panel focuses it on open, not the dialog's ✕).
 */
export function primaryActionIn(container: HTMLElement | null): HTMLElement | null {
  return container?.querySelector<HTMLElement>('.secret__row .btn--primary:not([disabled])') ?? null;
}
