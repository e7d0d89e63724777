import { useMemo, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkPreview, Message } from '../../../protocol';
import { linkSegments } from '../lib/link-segments';
import { openLink } from '../client/open-link';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';

/**
 * Message text as text; only the URLs the server listed are marked, each with its state, and only
 * a verified one can be clicked.
 */
export function MessageText({ message }: { message: Message }): ReactElement {
  const segments = useMemo(() => linkSegments(message.text, message.links), [message.text, message.links]);
  return (
    <p className="message-text" data-testid={TEST_IDS.messageText}>
      {segments.map((segment, index) => (segment.kind === 'text' ? <span key={index}>{segment.text}</span> : <InlineLink key={index} text={segment.text} link={segment.link} />))}
    </p>
  );
}

function InlineLink({ text, link }: { text: string; link: LinkPreview }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  if (link.state === 'verified') {
    // Even a verified link asks afresh on click: its merchant may have been suspended since (§3 rule 7).
    return (
      <button type="button" className="inline-link is-verified" onClick={() => void openLink(client, link.url)} aria-label={t('links.open', { url: link.url })} data-testid={TEST_IDS.messageLink} data-url={link.url} data-state="verified">
        {text}
      </button>
    );
  }
  if (link.state === 'blocked') {
    // Not clickable at all: the warning under the text is the only way forward.
    return (
      <span className="inline-link is-blocked" data-testid={TEST_IDS.messageLink} data-url={link.url} data-state="blocked">
        {text}
      </span>
    );
  }
  // Pending and unverified are plain text, not a button (§3 rule 4): a phishing domain nobody has
  // listed yet is merely unverified, and must not be one click or one Enter away. The marks are
  // text, not aria-hidden, so a screen reader says "unverified" right after the URL.
  return (
    <>
      <span className={`inline-link is-${link.state}`} data-testid={TEST_IDS.messageLink} data-url={link.url} data-state={link.state}>
        {text}
      </span>
      {link.state === 'pending' ? (
        <span className="link-mark is-checking" data-testid={TEST_IDS.linkChecking} title={t('links.checking')}>
          <span className="spinner tiny" aria-hidden="true" />
          {t('links.checkingMark')}
        </span>
      ) : (
        <span className="link-mark is-unverified" data-testid={TEST_IDS.linkUnverified} title={t('links.unverifiedHint')}>
          {t('links.unverified')}
        </span>
      )}
    </>
  );
}
