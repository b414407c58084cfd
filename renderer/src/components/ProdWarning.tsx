/**
 * PROD, marked where a destructive action is confirmed (issue 15, item 3): revoke, rotate and bulk
 * rotate (RevokeDialog, RotateDialog, BulkRotateDialog). A word
 * and an icon, not colour alone (WCAG 2.2 SC 1.4.1), and a sentence naming the production Vaults.
 */
export function ProdWarning({ vaults, action }: { vaults: readonly string[]; action: 'revoke' | 'rotate' }) {
  if (vaults.length === 0) return null;
  const names =
    vaults.length <= 3 ? vaults.join(', ') : `${vaults.slice(0, 3).join(', ')} and ${vaults.length - 3} more`;
  return (
    <div className="prod-warning" role="note" aria-label="Production Vault">
      <span className="prod-warning__badge">
        <span aria-hidden="true">⚠</span> PROD
      </span>
      <p>
        {vaults.length === 1 ? 'This is a production Vault' : 'These are production Vaults'}: <strong>{names}</strong>.{' '}
        {action === 'revoke'
          ? 'Live integrations that use these tokens stop working at once.'
          : 'The old token keeps working until the last step; revoking it then affects live integrations.'}
      </p>
    </div>
  );
}
