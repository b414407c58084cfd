/**
 * The preload: exposes exactly one object, `window.vaultDesk`, built from the
 * shared contract (security checklist in docs/architecture.md, item 20: never raw ipcRenderer). Runs sandboxed
 * with context isolation.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildVaultDeskApi } from '../../shared/bridge';
import { decodeBridgeNames, eventChannel } from '../../shared/ipc-names';

contextBridge.exposeInMainWorld(
  'vaultDesk',
  buildVaultDeskApi(
    {
      invoke: (channel, request) => ipcRenderer.invoke(channel, request),
      subscribe(event, listener) {
        const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
        ipcRenderer.on(eventChannel(event), wrapped);
        // A block body: returning removeListener's result would hand the page ipcRenderer itself.
        return () => {
          ipcRenderer.removeListener(eventChannel(event), wrapped);
        };
      },
    },
    decodeBridgeNames(process.argv),
  ),
);
