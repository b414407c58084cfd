/**
 * A button that opens a panel (MultiSelect, the Columns menu): a click outside closes it, and
 * Escape closes it and gives focus back to the button.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    }
  };

  return { open, setOpen, root, button, id, onKeyDown };
}
