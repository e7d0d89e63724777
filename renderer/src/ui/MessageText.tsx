import { useMemo, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkPreview, Message } from '../../../protocol';
import { linkSegments } from '../lib/link-segments';
import { openLink } from '../client/open-link';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';

/** Message text as text; only the URLs the server listed become links, each marked with its state. */
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
  if (link.state === 'blocked') {
    // Not clickable at all: the warning under the text is the only way forward.
    return (
      <span className="inline-link is-blocked" data-testid={TEST_IDS.messageLink} data-url={link.url} data-state="blocked">
        {text}
      </span>
    );
  }
  return (
    <>
      <button type="button" className={`inline-link is-${link.state}`} onClick={() => void openLink(client, link.url)} aria-label={t('links.open', { url: link.url })} data-testid={TEST_IDS.messageLink} data-url={link.url} data-state={link.state}>
        {text}
      </button>
      {link.state === 'pending' && (
        <span className="link-mark is-checking" data-testid={TEST_IDS.linkChecking} title={t('links.checking')}>
          <span className="spinner tiny" aria-hidden="true" />
          {t('links.checkingMark')}
        </span>
      )}
      {link.state === 'unverified' && (
        <span className="link-mark is-unverified" data-testid={TEST_IDS.linkUnverified} title={t('links.unverifiedHint')}>
          {t('links.unverified')}
        </span>
      )}
    </>
  );
}
