import { useEffect, type ReactElement } from 'react';
import { useUi } from '../store/ui-store';
import { TEST_IDS } from '../../test-ids';

const VISIBLE_MS = 6000;

/** A short-lived note when a link could not be opened. */
export function LinkNotice(): ReactElement | null {
  const notice = useUi((s) => s.linkNotice);
  useEffect(() => {
    if (notice === null) return;
    const timer = window.setTimeout(() => useUi.setState({ linkNotice: null }), VISIBLE_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);
  if (notice === null) return null;
  return (
    <div className="toast" role="alert" data-testid={TEST_IDS.linkOpenError}>
      {notice}
    </div>
  );
}
