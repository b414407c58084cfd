/**
 * What each Activity action reads as (issue 13 item 8): people read "Rotated: old token revoked",
 * not `token.rotate.revoke-old`. Every action the code records (grep `action:` in electron/) has
 * a label here; test/unit/audit-labels.test.ts fails when one is missing. The raw action stays in
 * the database and in exports, and shows on hover, so a label can change without losing history.
 */

export type AuditCategory = 'connection' | 'token' | 'sync' | 'reminder' | 'settings' | 'inventory';

export interface AuditLabel {
  label: string;
  category: AuditCategory;
  /** A failure or refusal: shown with a warning tone. */
  problem?: true;
}

export const AUDIT_LABELS = {
  'connection.create': { label: 'Connection added', category: 'connection' },
  'connection.update': { label: 'Connection changed', category: 'connection' },
  'connection.remove': { label: 'Connection removed', category: 'connection' },
  'connection.test': { label: 'Connection tested', category: 'connection' },
  'connection.add-reachable': { label: 'Vaults this login reaches added', category: 'connection' },
  'connection.sso-sign-in': { label: 'Signed in with single sign-on', category: 'connection' },
  'connection.secret-replace': { label: 'Saved sign-in replaced', category: 'connection' },
  'connection.import': { label: 'Connections imported from CSV', category: 'connection' },
  'connection.export': { label: 'Connections exported as CSV', category: 'connection' },

  'tokens.sync': { label: 'Synced', category: 'sync' },
  'token.value-found': { label: 'Sync: value found in the keychain', category: 'sync' },

  'token.generate': { label: 'Generated', category: 'token' },
  'token.generate-many': { label: 'Generated (several Vaults at once)', category: 'token' },
  'token.generate-many.failed': {
    label: 'Not generated (several Vaults at once)',
    category: 'token',
    problem: true,
  },
  'token.keychain-failed': { label: 'Generated: keychain refused the value', category: 'token', problem: true },
  'token.reveal': { label: 'Value shown', category: 'token' },
  'token.delivery.add': { label: 'Delivery added', category: 'token' },
  'token.delivery.add-declined': { label: 'Delivery declined', category: 'token', problem: true },
  'token.delivery.remove': { label: 'Delivery removed', category: 'token' },
  'token.delivery.inherit': { label: 'Deliveries passed to the replacement', category: 'token' },
  'token.deliver': { label: 'Delivered', category: 'token' },
  'token.deliver.failed': { label: 'Delivery failed', category: 'token', problem: true },
  'token.copy': { label: 'Value copied', category: 'token' },
  'token.reveal-declined': { label: 'Show value declined', category: 'token', problem: true },
  'token.copy-declined': { label: 'Copy declined', category: 'token', problem: true },
  'token.saved-elsewhere': { label: 'Value confirmed saved elsewhere', category: 'token' },
  'token.revoke': { label: 'Revoked', category: 'token' },
  'token.revoke.failed': { label: 'Revoke failed', category: 'token', problem: true },
  'token.rotate.start': { label: 'Rotation started', category: 'token' },
  'token.rotate.replacement': { label: 'Rotated: replacement generated', category: 'token' },
  'token.rotate.revoke-old': { label: 'Rotated: old token revoked', category: 'token' },
  'token.rotate.revoke-old.failed': { label: 'Rotation: old token not revoked', category: 'token', problem: true },
  'token.rotate.verify': { label: 'Rotation: replacement checked with Vault', category: 'token' },
  'token.rotate.verify.failed': { label: 'Rotation: Vault refused the replacement', category: 'token', problem: true },
  'token.rotate.failed': { label: 'Rotation stopped before the revoke', category: 'token', problem: true },
  'tokens.rotate-many': { label: 'Bulk rotation', category: 'token' },

  'tokens.export': { label: 'Inventory exported', category: 'inventory' },
  'tokens.import': { label: 'Inventory imported', category: 'inventory' },
  'tokens.clear-imported': { label: 'Imported rows removed', category: 'inventory' },
  'tokens.clear-revoked': { label: 'Revoked rows removed', category: 'inventory' },

  'reminder.snooze': { label: 'Reminders snoozed', category: 'reminder' },
  'reminder.unsnooze': { label: 'Snooze cleared', category: 'reminder' },
  'reminder.dismiss': { label: 'Reminders dismissed', category: 'reminder' },
  'reminder.undismiss': { label: 'Reminders back on', category: 'reminder' },
  'reminder.snooze-bulk': { label: 'Reminders snoozed (several tokens)', category: 'reminder' },
  'reminder.unsnooze-bulk': { label: 'Snooze cleared (several tokens)', category: 'reminder' },
  'reminder.dismiss-bulk': { label: 'Reminders dismissed (several tokens)', category: 'reminder' },
  'reminder.undismiss-bulk': { label: 'Reminders back on (several tokens)', category: 'reminder' },

  'settings.update': { label: 'Settings changed', category: 'settings' },
  'settings.connection-thresholds': { label: 'Connection reminder days changed', category: 'settings' },
} as const satisfies Record<string, AuditLabel>;

export type KnownAuditAction = keyof typeof AUDIT_LABELS;

export const CATEGORY_LABELS: Record<AuditCategory, string> = {
  connection: 'Connections',
  token: 'Tokens',
  sync: 'Sync',
  reminder: 'Reminders',
  settings: 'Settings',
  inventory: 'Inventory files',
};

function isKnown(action: string): action is KnownAuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_LABELS, action);
}

/**
 * The label for an action. An action recorded by a newer or older version of the app that this
 * table does not know still reads as words ("token.foo-bar" → "Token: foo bar"), never blank.
 */
export function auditLabel(action: string): AuditLabel {
  if (isKnown(action)) return AUDIT_LABELS[action];
  const [head = action, ...rest] = action.split('.');
  const words = rest.join(' ').replace(/-/g, ' ').trim();
  const noun = head.replace(/s$/, '');
  return {
    label: `${noun.charAt(0).toUpperCase()}${noun.slice(1)}${words ? `: ${words}` : ''}`,
    category: 'token',
  };
}

/** Every known action, by category then label, for the Activity screen's action filter. */
export function auditActionsByCategory(): { category: AuditCategory; label: string; actions: KnownAuditAction[] }[] {
  const order = Object.keys(CATEGORY_LABELS) as AuditCategory[];
  return order.map((category) => ({
    category,
    label: CATEGORY_LABELS[category],
    actions: (Object.keys(AUDIT_LABELS) as KnownAuditAction[])
      .filter((a) => AUDIT_LABELS[a].category === category)
      .sort((a, b) => AUDIT_LABELS[a].label.localeCompare(AUDIT_LABELS[b].label)),
  }));
}

/**
 * The detail as people read it: a user id the inventory can name ("for user 100204") reads as
 * that user's name. Everything else is the text as recorded (which never holds a secret).
 */
export function readableDetail(entry: {
  detail: string | null;
  mentionedUser: { userId: string; userName: string } | null;
}): string {
  const detail = entry.detail ?? '';
  if (!entry.mentionedUser) return detail;
  return detail.replace(`user ${entry.mentionedUser.userId}`, entry.mentionedUser.userName);
}
