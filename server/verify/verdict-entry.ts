/**
 * One answer of `POST /v1/verdicts`. A batch is answered entry by entry, so that one URL that
 * does not parse does not cost the others their verdicts: such an entry is `{url, error}`
 * with code `invalid_input` instead of a verdict. A body that is not a list of at most 100
 * strings is refused whole with 400.
 */
import type { ApiError, LinkVerdict } from '../../protocol';
import type { VerdictEngine } from './verdict-rules';

export type VerdictEntry = LinkVerdict | { url: string; error: ApiError };

export function verdictEntry(engine: VerdictEngine, url: string): VerdictEntry {
  const verdict = engine.verdict(url);
  return verdict.ok ? verdict.value : { url, error: verdict.error };
}
