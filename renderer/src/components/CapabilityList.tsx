import type { CapabilityCheck, CapabilityStatus } from '../../../shared/capabilities';

const MARK: Record<CapabilityStatus, { symbol: string; words: string; tone: string }> = {
  yes: { symbol: '✓', words: 'Yes', tone: 'ok' },
  no: { symbol: '✕', words: 'No', tone: 'danger' },
  unknown: { symbol: '?', words: 'Cannot tell', tone: 'muted' },
};

/** The capability check as a short checklist: one line each, the reason beside every "no". */
export function CapabilityList({ checks }: { checks: CapabilityCheck[] }) {
  return (
    <ul className="checklist" aria-label="What this login can do">
      {checks.map((c) => {
        const m = MARK[c.status];
        return (
          <li
            key={c.id}
            className={`checklist__item checklist__item--${m.tone}`}
            data-check={c.id}
            data-status={c.status}
          >
            <span className="checklist__mark" aria-hidden="true">
              {m.symbol}
            </span>
            <span className="checklist__label">
              {c.label}
              <span className="sr-only">: {m.words}.</span>
            </span>
            <span className="checklist__detail">{c.detail}</span>
          </li>
        );
      })}
    </ul>
  );
}
