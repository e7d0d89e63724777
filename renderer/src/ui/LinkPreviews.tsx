import { useId, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkPreview } from '../../../protocol';
import { mediaUrl } from '../wire/server-url';
import { openBlockedPreview, openLink } from '../client/open-link';
import { reasonText } from '../lib/reason-text';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Icon } from './icons';
import { ProductCardView } from './ProductCardView';

/** Under the text: a verified preview card, or a blocked link's warning. Others stay inline. */
export function LinkPreviews({ links }: { links: LinkPreview[] | undefined }): ReactElement | null {
  const shown = (links ?? []).filter((link) => link.state === 'verified' || link.state === 'blocked');
  if (shown.length === 0) return null;
  return (
    <div className="link-previews">
      {shown.map((link) => (link.state === 'blocked' ? <BlockedWarning key={link.url} link={link} /> : <VerifiedPreview key={link.url} link={link} />))}
    </div>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function VerifiedPreview({ link }: { link: LinkPreview }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const textId = useId();
  if (link.product) {
    return (
      <div data-testid={TEST_IDS.linkPreview} data-url={link.url} data-state="verified">
        <ProductCardView product={link.product} />
      </div>
    );
  }
  const image = mediaUrl(client.serverUrl, link.image);
  return (
    <article className="verified-card" data-testid={TEST_IDS.linkPreview} data-url={link.url} data-state="verified">
      <div className="verified-card-inner" data-testid={TEST_IDS.linkVerifiedCard}>
        <header className="verified-band">
          <Icon name="shield" size={16} />
          <span data-testid={TEST_IDS.verifiedMerchantBadge}>{link.merchant ? t('links.verifiedBy', { name: link.merchant.name }) : t('links.verifiedLink')}</span>
        </header>
        {/* Named apart from the inline link to the same URL, and described by what the card shows. */}
        <button type="button" className="verified-body" onClick={() => void openLink(client, link.url)} aria-label={t('links.openPreview', { url: link.url })} aria-describedby={textId} data-testid={TEST_IDS.linkPreviewOpen}>
          {image !== undefined && <img src={image} alt="" className="verified-image" loading="lazy" referrerPolicy="no-referrer" data-testid={TEST_IDS.previewImage} />}
          <span className="verified-text" id={textId}>
            {link.title !== undefined && (
              <span className="verified-title" data-testid={TEST_IDS.previewTitle}>
                {link.title}
              </span>
            )}
            {link.description !== undefined && (
              <span className="verified-description" data-testid={TEST_IDS.previewDescription}>
                {link.description}
              </span>
            )}
            <span className="verified-host" data-testid={TEST_IDS.previewHost}>
              {hostOf(link.url)}
            </span>
          </span>
        </button>
      </div>
    </article>
  );
}

/** Read in its place with the message, never role="alert": opening a chat would shout every old warning again. */
function BlockedWarning({ link }: { link: LinkPreview }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  return (
    <div className="blocked-warning" data-testid={TEST_IDS.linkPreview} data-url={link.url} data-state="blocked">
      <div className="blocked-head" data-testid={TEST_IDS.blockedWarning} data-reason={link.reason ?? ''}>
        <Icon name="warning" size={18} />
        <div>
          <strong>{t('links.blockedTitle')}</strong>
          <p>{reasonText(t, link.reason, link.imitates)}</p>
          <p className="blocked-url" data-testid={TEST_IDS.blockedUrl}>
            {link.url}
          </p>
        </div>
      </div>
      <button type="button" className="blocked-open" onClick={() => void openBlockedPreview(client, link)} data-testid={TEST_IDS.blockedOpenAnyway}>
        {t('links.openAnyway')}
        {/* Several warnings may sit in one chat: the button's name says which link it is for. */}
        <span className="visually-hidden"> {link.url}</span>
      </button>
    </div>
  );
}
