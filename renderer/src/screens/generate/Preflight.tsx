/**
 * What "Check" found for each chosen Vault before anything is generated (issue 16, item 1): ready,
 * with how many of the 25 active tokens the user already holds, or why it will be skipped. The
 * answer of `tokens:generate-many` with `checkOnly`; nothing was sent to Vault's generate endpoint.
 */
import { useEffect, useRef } from 'react';
import type { Connection } from '../../../../shared/domain';
import { MAX_ACTIVE_TOKENS_PER_USER, type GenerateManyOutcome } from '../../../../shared/tokens';
import { plural } from '../../lib/format';
import { failedOutcome } from '../../../../shared/generate-many';
import { ProdTag } from './VaultPicker';
import { isProductionVault } from './vault-choices';

/** An outcome for a Vault that was not checked because no secret was entered for it. */
export function notUnlocked(connection: Pick<Connection, 'id' | 'name'>): GenerateManyOutcome {
  return failedOutcome(connection, {
    code: 'GUARD',
    message: 'Not checked: no password or token was entered for it.',
    vaultErrorType: null,
    stage: 'check',
    needsSecret: true,
  });
}

export function PreflightList(props: { outcomes: GenerateManyOutcome[]; connections: Connection[] }) {
  const ready = props.outcomes.filter((o) => o.ok).length;
  const skipped = props.outcomes.length - ready;
  const byId = new Map(props.connections.map((c) => [c.id, c]));
  const ref = useRef<HTMLElement>(null);
  // It appears below the form: bring it into view, the answer to the button just pressed. (Braces:
  // Chromium's scrollIntoView now returns a promise, which React would call as the effect's cleanup.)
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <section className="field" aria-labelledby="preflight-title" ref={ref}>
      <h3 id="preflight-title" className="preflight__title">
        Checked before generating
      </h3>
      <p role="status" className={skipped ? 'text-warn' : 'muted'}>
        {ready ? `${plural(ready, 'Vault')} ready` : 'No Vault is ready'}
        {skipped ? `; ${plural(skipped, 'Vault')} will be skipped.` : '. Nothing has been sent to Vault yet.'}
      </p>
      <ul className="preflight" aria-label="Check per Vault">
        {props.outcomes.map((o) => {
          const c = byId.get(o.connectionId);
          return (
            <li key={o.connectionId} className="preflight__item">
              <span className={`preflight__state preflight__state--${o.ok ? 'ok' : 'no'}`}>
                {o.ok ? 'Ready' : 'Skipped'}
              </span>
              <span className="preflight__name">{o.connectionName}</span>
              {c && isProductionVault(c) ? <ProdTag /> : null}
              <span className="preflight__detail">
                {o.ok
                  ? o.activeCount === null
                    ? 'token count unknown until synced'
                    : `${o.activeCount} of ${MAX_ACTIVE_TOKENS_PER_USER} active tokens`
                  : o.error?.message}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
