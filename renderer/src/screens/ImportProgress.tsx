/**
 * The import in flight (issue 14): a progress bar with a count, fed by main's
 * import:progress events. A native <progress> inside its <label>: exposed as a
 * progressbar named by the text beside it, with its value and maximum; without
 * a count yet (reading the file) it is indeterminate. Not a live region: the
 * notice that follows says how it ended.
 */
import type { ImportProgress } from '../../../shared/contract/tokens';
import { count } from '../lib/format';

const PHASE: Record<ImportProgress['phase'], string> = {
  reading: 'Reading the file…',
  checking: 'Checking rows',
  writing: 'Importing rows',
  done: 'Finishing…',
};

export function ImportProgressBanner({ progress }: { progress: ImportProgress }) {
  const known = progress.total > 0 && progress.phase !== 'reading' && progress.phase !== 'done';
  const label = known
    ? `${PHASE[progress.phase]}: ${count(progress.done)} of ${count(progress.total)}`
    : PHASE[progress.phase];
  return (
    <div className="banner banner--info" data-testid="import-progress">
      <div className="banner__body">
        <strong>Importing {progress.fileName ?? 'the file'}</strong>
        <div className="banner__text">
          <label>
            {label} {known ? <progress max={progress.total} value={progress.done} /> : <progress />}
          </label>
        </div>
      </div>
    </div>
  );
}
