/**
 * Page-side stand-ins for what Electron gives a sandboxed preload, so the browser suites run the
 * built preload (out/preload/index.js) itself. browser-bridge.ts bundles this file once as an IIFE
 * and injects it with page.addInitScript, followed by the preload's exact text wrapped in
 * PRELOAD_HEAD … PRELOAD_TAIL and handed to runPreload. Nothing here runs at import time, so Node
 * code may import the constants.
 *
 * The preload gets what Electron's sandboxed preload wrapper would pass it, and no more:
 * `require` answers only 'electron'; `process` carries only `argv`, with the bridge names appended
 * the way Electron appends webPreferences.additionalArguments; `electron` has only `contextBridge`
 * (exposeInMainWorld) and `ipcRenderer` (invoke, on, removeListener). Reading anything else throws,
 * so a preload that starts to use more fails loudly here instead of quietly doing less.
 */

/** The wrapper around the preload's text; Function.prototype.toString gives back exactly HEAD + text + TAIL. */
export const PRELOAD_HEAD = 'function (require, process, module, exports) {\n';
export const PRELOAD_TAIL = '\n}';

/** The harness's one hidden (non-enumerable) window property: how main→renderer events get in. */
export const HOST_KEY = '__vtdPreloadHost';

/** The global the IIFE bundle assigns (inside the init script's own function scope, so not on window). */
export const SHIMS_GLOBAL = 'vtdPreloadShims';

export interface PreloadHostOptions {
  /** process.argv for the preload: the renderer's arguments, then additionalArguments. */
  argv: string[];
  /** Where the harness server answers invokes: POST <invokePath><channel> with `{ request }`. */
  invokePath: string;
}

export interface PreloadHost {
  /** Delivers a message on an IPC channel as webContents.send would; answers how many listeners it reached. */
  emit(channel: string, ...args: unknown[]): number;
  /** The source text of the function the page ran (PRELOAD_HEAD + preload text + PRELOAD_TAIL). */
  preloadSource(): string;
}

type PreloadFn = (
  this: unknown,
  require: (id: string) => unknown,
  process: unknown,
  module: { exports: unknown },
  exports: unknown,
) => void;

type IpcListener = (event: unknown, ...args: unknown[]) => void;

const SHIMS_FILE = 'test/helpers/preload-shims.ts';

/**
 * A frozen object whose unknown properties throw when read or written. `absent` names properties
 * that Electron's object also lacks and that are only probed (they read as undefined): `then`, which
 * await and Promise resolution look for, and for the module, `__esModule` for bundler interop.
 */
function strict<T extends object>(name: string, target: T, absent: readonly string[] = ['then']): T {
  Object.freeze(target);
  const missing = (key: string): never => {
    throw new Error(`${name}.${key} is not provided by the test preload shims (${SHIMS_FILE}).`);
  };
  const readOnly = (key: string | symbol): never => {
    throw new Error(`${name}.${String(key)} cannot be changed in the test preload shims (${SHIMS_FILE}).`);
  };
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'symbol' || key in t) return Reflect.get(t, key, receiver) as unknown;
      return absent.includes(key) ? undefined : missing(key);
    },
    set: (_t, key) => readOnly(key),
    defineProperty: (_t, key) => readOnly(key),
    deleteProperty: (_t, key) => readOnly(key),
  });
}

/** Runs the preload (wrapped as PRELOAD_HEAD + text + PRELOAD_TAIL) with Electron's sandboxed-preload scope. */
export function runPreload(preload: PreloadFn, options: PreloadHostOptions): void {
  // Captured before any page script runs, as the preload's isolated world would be out of the page's reach.
  const fetchFn = window.fetch.bind(window);
  const toSource = Function.prototype.toString;
  const schedule = window.setTimeout.bind(window);
  const listeners = new Map<string, IpcListener[]>();

  const ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: IpcListener): unknown;
    removeListener(channel: string, listener: IpcListener): unknown;
  } = strict('ipcRenderer', {
    // Electron's invoke is async too: a bad argument rejects rather than throws.
    async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      if (typeof channel !== 'string') throw new TypeError('ipcRenderer.invoke: the channel must be a string.');
      if (args.length > 1) {
        throw new Error(
          `ipcRenderer.invoke('${channel}') with ${args.length} arguments: the harness server carries one request.`,
        );
      }
      // Electron structured-clones IPC arguments: what it cannot clone fails here as it would there.
      const [request] = structuredClone(args);
      const response = await fetchFn(`${options.invokePath}${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ request }),
      });
      if (!response.ok) {
        throw new Error(`Error invoking remote method '${channel}': ${response.status} ${await response.text()}`);
      }
      return (await response.json()) as unknown;
    },
    on(channel: string, listener: IpcListener): unknown {
      if (typeof listener !== 'function') throw new TypeError('ipcRenderer.on: the listener must be a function.');
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return ipcRenderer;
    },
    // EventEmitter semantics: removes the most recently added registration of `listener`.
    removeListener(channel: string, listener: IpcListener): unknown {
      const list = listeners.get(channel) ?? [];
      const at = list.lastIndexOf(listener);
      if (at >= 0) listeners.set(channel, [...list.slice(0, at), ...list.slice(at + 1)]);
      return ipcRenderer;
    },
  });

  const contextBridge = strict('contextBridge', {
    exposeInMainWorld(key: string, api: unknown): void {
      if (typeof key !== 'string') throw new TypeError('contextBridge.exposeInMainWorld: the key must be a string.');
      // Electron's own check and words.
      if (key in window) throw new Error('Cannot bind an API on top of an existing property on the window object');
      // As contextBridge does: the page cannot replace or delete what the preload exposed.
      Object.defineProperty(window, key, { value: api, enumerable: true, writable: false, configurable: false });
    },
  });

  const electron = strict('electron', { contextBridge, ipcRenderer }, ['then', '__esModule']);
  const require = (id: string): unknown => {
    if (id === 'electron') return electron;
    // A sandboxed preload cannot load modules; the built preload bundles everything but electron.
    throw new Error(`module not found: ${String(id)} (the test preload shims answer only require('electron'))`);
  };
  const process = strict('process', { argv: Object.freeze([...options.argv]) });
  const module = { exports: {} as unknown };

  const host: PreloadHost = {
    emit(channel, ...args) {
      const list = listeners.get(channel) ?? [];
      const event = strict('IpcRendererEvent', { sender: ipcRenderer, ports: [] as unknown[] });
      for (const listener of list) {
        try {
          listener(event, ...args);
        } catch (error) {
          // As an EventEmitter listener that throws in Electron: the rest are skipped and the page
          // reports an uncaught error (the harness fails on page errors), instead of a rejected evaluate.
          schedule(() => {
            throw error;
          });
          break;
        }
      }
      return list.length;
    },
    preloadSource: () => toSource.call(preload),
  };
  Object.defineProperty(window, HOST_KEY, {
    value: Object.freeze(host),
    enumerable: false,
    writable: false,
    configurable: false,
  });

  preload.call(module.exports, require, process, module, module.exports);
}
