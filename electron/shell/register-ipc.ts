/**
 * Electron transport for the handler table: one ipcMain.handle per contract
 * channel, with the sender frame's URL passed for the origin check
 * (security checklist in docs/architecture.md, item 17). Events go to every window through webContents.send.
 */
import { BrowserWindow, ipcMain } from 'electron';
import type { EventMap, EventName } from '../../shared/contract';
import { eventChannel } from '../../shared/ipc-names';
import type { HandlerTable } from '../ipc/handler-table';

export function registerIpc(table: HandlerTable): () => void {
  for (const channel of table.channels) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      table.handle(channel, { url: event.senderFrame?.url }, payload),
    );
  }
  return () => table.channels.forEach((channel) => ipcMain.removeHandler(channel));
}

export function broadcast<E extends EventName>(event: E, payload: EventMap[E]): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(eventChannel(event), payload);
  }
}
