import { useMemo, type CSSProperties } from 'react';
import { MAX_TAIL_CHARS, splitForMiddleTruncation } from '../../lib/middle-truncate';

/**
 * Text cut in the middle when its box is too narrow: the head shrinks with an ellipsis, the
 * tail stays ("Acme Prom…Prod"). The whole text is in the DOM, so it is the accessible name and
 * what copy and search see; the caller gives the full text as a title for hover.
 */
export function MiddleTruncate({
  text,
  maxTail = MAX_TAIL_CHARS,
  className,
}: {
  text: string;
  maxTail?: number;
  className?: string;
}) {
  const { head, tail } = useMemo(() => splitForMiddleTruncation(text, maxTail), [text, maxTail]);
  return (
    <span
      className={className ? `mid-trunc ${className}` : 'mid-trunc'}
      style={{ '--tail-chars': tail.length } as CSSProperties}
    >
      {head ? <span className="mid-trunc__head">{head}</span> : null}
      <span className="mid-trunc__tail">{tail}</span>
    </span>
  );
}
