/**
 * The desktop app's gate before a stored token value is shown or copied (issue 11, finding 2):
 * main asks the person itself, outside the renderer's reach. On macOS with Touch ID, the OS
 * authentication prompt; elsewhere a native dialog whose default button is Cancel. A compromised
 * renderer can request a value but cannot answer either.
 */
import { BrowserWindow, dialog, systemPreferences } from 'electron';
import type { RevealGate } from '../tokens/tokens-service';
import type { DeliveryGate } from '../deliveries/deliveries-service';

export function createNativeRevealGate(): RevealGate {
  return async ({ purpose, tokenName, tokenId, connectionName }) => {
    const verb = purpose === 'copy' ? 'copy' : 'show';
    if (process.platform === 'darwin' && systemPreferences.canPromptTouchID()) {
      try {
        await systemPreferences.promptTouchID(`${verb} the value of the Vault token “${tokenName}”`);
        return true;
      } catch {
        return false;
      }
    }
    const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const options = {
      type: 'warning' as const,
      title: 'Vault Token Desk',
      message: `${purpose === 'copy' ? 'Copy' : 'Show'} the value of “${tokenName}”?`,
      detail: `Token ${tokenId} on ${connectionName}. Anyone who has the value can call Vault as its owner.`,
      buttons: [purpose === 'copy' ? 'Copy value' : 'Show value', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    };
    const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    return response === 0;
  };
}

/**
 * Before a new delivery target may receive a token's value (issue 16): a native dialog, Cancel by
 * default, so a compromised renderer cannot add a command that carries values away.
 */
export function createNativeDeliveryGate(): DeliveryGate {
  return async ({ tokenName, tokenId, connectionName, detail }) => {
    const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const options = {
      type: 'warning' as const,
      title: 'Vault Token Desk',
      message: `Send the value of “${tokenName}” to ${detail}?`,
      detail: `Token ${tokenId} on ${connectionName}. Each delivery (after generate, rotate, or "Deliver now") sends the value there.`,
      buttons: ['Allow delivery', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    };
    const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    return response === 0;
  };
}
