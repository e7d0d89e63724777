import { useId, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { openBlockedAnyway } from '../client/open-link';
import { verdictReasonText } from '../lib/reason-text';
import type { BlockedLink } from '../store/ui-store';
import { TEST_IDS } from '../../test-ids';
import { Dialog } from './Dialog';
import { Icon } from './icons';

/** The only way to a blocked link: it says why, and going back is the default. */
export function Interstitial({ link, onClose }: { link: BlockedLink; onClose: () => void }): ReactElement {
  const { t } = useTranslation();
  // Focus starts on "Go back": the reason and the address are read with the title, or a screen
  // reader user would hear the title and that button, never why.
  const reasonId = useId();
  const urlId = useId();
  return (
    <Dialog
      title={t('links.interstitialTitle')}
      describedBy={`${reasonId} ${urlId}`}
      onClose={onClose}
      testId={TEST_IDS.interstitial}
      tone="danger"
      footer={
        <>
          <button type="button" className="danger-link" onClick={() => void openBlockedAnyway(link.url)} data-testid={TEST_IDS.interstitialOpen}>
            {t('links.interstitialOpen')}
          </button>
          <button type="button" className="primary-button" onClick={onClose} data-autofocus data-testid={TEST_IDS.interstitialBack}>
            {t('links.interstitialBack')}
          </button>
        </>
      }
    >
      <div className="interstitial-alert">
        <Icon name="warning" size={28} />
        <p className="interstitial-reason" id={reasonId} data-testid={TEST_IDS.interstitialReason} data-reason={link.verdict.reason ?? ''}>
          {verdictReasonText(t, link.verdict)}
        </p>
      </div>
      <p className="interstitial-url" id={urlId} data-testid={TEST_IDS.interstitialUrl}>
        {link.url}
      </p>
      <p>{t('links.interstitialBody')}</p>
      <p>{t('links.interstitialAdvice')}</p>
    </Dialog>
  );
}
