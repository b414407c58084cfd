/**
 * App-wide guards from the Electron security checklist
 * (electronjs.org/docs/latest/tutorial/security): deny every permission
 * request (5), every navigation away from the app (13), every new window
 * (14) and every <webview> (11, 12); open only allow-listed https links in
 * the user's browser (15).
 */
import { app, session, shell, type WebContents } from 'electron';
import { originOf } from '../../ipc/handler-table';
import { isAllowedExternalUrl } from './external-links';
import type { Logger } from '../../log';

export function hardenSessions(logger: Logger): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, permission, callback) => {
    logger.warn('permission request denied', { permission });
    callback(false);
  });
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
}

export function hardenWebContents(appOrigin: string, logger: Logger): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (originOf(url) !== appOrigin) {
        event.preventDefault();
        logger.warn('navigation blocked', { origin: originOf(url) ?? 'invalid' });
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (originOf(url) !== appOrigin) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      else logger.warn('window.open blocked', { origin: originOf(url) ?? 'invalid' });
      return { action: 'deny' };
    });
  });
}
