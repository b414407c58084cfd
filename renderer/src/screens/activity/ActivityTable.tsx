/**
 * Activity rows as people read them (issue 13 item 8): the action's label (the raw action on
 * hover and for screen readers' "details"), the token by name, its owner by name where the
 * inventory knows them, and the detail with user ids replaced by names.
 */
import type { AuditListEntry } from '../../../../shared/contract/app';
import type { AuditLabel } from '../../../../shared/audit-labels';

export function ActivityTable(props: {
  rows: readonly AuditListEntry[];
  formatAt: (iso: string) => string;
  label: (action: string) => AuditLabel;
  detail: (entry: AuditListEntry) => string;
}) {
  return (
    <table className="table act-table" aria-label="Activity log">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          <th scope="col">Connection</th>
          <th scope="col">Token</th>
          <th scope="col">Owner</th>
          <th scope="col">Detail</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => {
          const label = props.label(r.action);
          return (
            <tr key={r.id} data-action={r.action}>
              <td className="mono nowrap">{props.formatAt(r.at)}</td>
              <td title={r.action}>
                <span className={`act-label${label.problem ? ' act-label--problem' : ''}`}>{label.label}</span>
              </td>
              <td>{r.connectionName ?? '—'}</td>
              <td>
                {r.tokenName ?? (r.tokenId ? '' : '—')}
                {r.tokenId ? <span className={`mono muted${r.tokenName ? ' act-raw' : ''}`}>{r.tokenId}</span> : null}
              </td>
              <td title={r.userId ? `user id ${r.userId}` : undefined}>{r.userName ?? (r.userId ? r.userId : '—')}</td>
              <td>{props.detail(r)}</td>
              <td>{r.actor}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
