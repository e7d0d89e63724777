import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../store/chat-store';
import { TEST_IDS } from '../../test-ids';

export function ConnectionBanner(): ReactElement | null {
  const { t } = useTranslation();
  const connection = useChat((s) => s.connection);
  if (connection === 'online' || connection === 'idle') return null;
  return (
    <div className={`connection-banner is-${connection}`} role="status" aria-live="polite" data-testid={TEST_IDS.connectionBanner} data-state={connection}>
      <span className="spinner" aria-hidden="true" />
      {connection === 'connecting' ? t('connection.connecting') : t('connection.reconnecting')}
    </div>
  );
}
