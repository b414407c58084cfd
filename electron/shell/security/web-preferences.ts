/**
 * Every renderer hardening flag, set explicitly (security checklist in docs/architecture.md, items 2–4, 6,
 * 8–12). window.ts writes the same flags out literally where the window is created, so that reviewers and
 * scanners see them there; the shell smoke suite and the Electronegativity suite keep the two equal.
 */
export const HARDENED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
  // A middle click must not open links in new windows behind the new-window handler's back.
  disableBlinkFeatures: 'Auxclick',
} as const;
