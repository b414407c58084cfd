import type { TokenRow } from '../../../shared/tokens';
import { STATUS_LABEL, STATUS_TONE } from '../lib/format';

const TONE_CLASS = { ok: 'pill--ok', warn: 'pill--warn', danger: 'pill--danger', neutral: '' } as const;

/** Status as a word (never colour alone), plus "read-only" for imported rows. */
export function StatusPill({ row }: { row: Pick<TokenRow, 'status' | 'readOnly'> }) {
  return (
    <span className="pills">
      <span className={`pill ${TONE_CLASS[STATUS_TONE[row.status]]}`}>{STATUS_LABEL[row.status]}</span>
      {row.readOnly ? (
        <span className="pill pill--info" title="Imported from an export file: review only, nothing can be changed">
          read-only
        </span>
      ) : null}
    </span>
  );
}
