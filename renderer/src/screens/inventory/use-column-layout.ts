/**
 * The inventory's column layout, remembered across reloads in localStorage (not secret: column
 * ids and widths only). Rules live in lib/column-layout.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  DEFAULT_LAYOUT,
  parseLayout,
  serializeLayout,
  setColumnVisible,
  setColumnWidth,
  type ColumnId,
  type ColumnLayout,
} from '../../lib/column-layout';

export const COLUMN_LAYOUT_STORAGE_KEY = 'vault-token-desk.inventory.columns.v1';

function readStored(): string | null {
  try {
    return window.localStorage.getItem(COLUMN_LAYOUT_STORAGE_KEY);
  } catch {
    return null; // storage disabled: the defaults, for this run
  }
}

export interface ColumnLayoutState {
  layout: ColumnLayout;
  setWidth: (id: ColumnId, px: number) => void;
  setVisible: (id: ColumnId, visible: boolean) => void;
  reset: () => void;
}

export function useColumnLayout(): ColumnLayoutState {
  const [layout, setLayout] = useState<ColumnLayout>(() => parseLayout(readStored()));

  useEffect(() => {
    try {
      window.localStorage.setItem(COLUMN_LAYOUT_STORAGE_KEY, serializeLayout(layout));
    } catch {
      // Not remembered (storage full or disabled); the layout still applies now.
    }
  }, [layout]);

  const setWidth = useCallback((id: ColumnId, px: number) => setLayout((l) => setColumnWidth(l, id, px)), []);
  const setVisible = useCallback(
    (id: ColumnId, visible: boolean) => setLayout((l) => setColumnVisible(l, id, visible)),
    [],
  );
  const reset = useCallback(() => setLayout(DEFAULT_LAYOUT), []);
  return { layout, setWidth, setVisible, reset };
}
