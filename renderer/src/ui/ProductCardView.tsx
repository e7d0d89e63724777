import type { ReactElement, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProductCard } from '../../../protocol';
import { mediaUrl } from '../wire/server-url';
import { openLink } from '../client/open-link';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Icon } from './icons';

export function formatPrice(price: string, currency: string | undefined, language: string): string {
  if (currency === undefined || !/^\d+(?:\.\d+)?$/.test(price)) return currency === undefined ? price : `${price} ${currency}`;
  try {
    // Never fewer decimals than the page gave: rounded to the currency's usual digits, 19.999 USD
    // showed as $20.00 and 99.99 HUF as HUF 100, a price the shop does not ask. The amount is
    // formatted from its digits (an exact decimal), not a double: 99999999999.99 stays exact.
    const usual = new Intl.NumberFormat(language, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    const given = price.split('.')[1]?.length ?? 0;
    const format = new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: Math.max(usual, Math.min(given, 20)) });
    return format.format(price as Intl.StringNumericLiteral);
  } catch {
    return `${price} ${currency}`;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/**
 * A verified merchant's product: a framed card with a shield band naming the merchant as the
 * verification service knows it. Nothing in it comes from text a sender typed. A card that is a
 * message of its own is that message's bubble: `meta` (its time and read mark) goes inside the
 * frame, as a text message's goes inside its bubble.
 */
export function ProductCardView({ product, meta }: { product: ProductCard; meta?: ReactNode }): ReactElement {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const image = mediaUrl(client.serverUrl, product.image);
  const verified = product.merchant.verified;
  const body = (opens: string | undefined): ReactElement => (
    <>
      <span className="product-image">{image !== undefined ? <img src={image} alt="" loading="lazy" referrerPolicy="no-referrer" data-testid={TEST_IDS.productImage} /> : <Icon name="product" size={36} />}</span>
      <span className="product-info">
        <span className="product-label">{t('links.product')}</span>
        <span className="product-title" data-testid={TEST_IDS.productTitle}>
          {product.title}
        </span>
        {product.price !== undefined && (
          <span className="product-price" data-testid={TEST_IDS.productPrice}>
            {formatPrice(product.price, product.currency, i18n.language)}
          </span>
        )}
        <span className="product-host">
          <span data-testid={TEST_IDS.productHost}>{hostOf(product.url)}</span>
          {opens !== undefined && <span className="visually-hidden">{opens}</span>}
        </span>
      </span>
    </>
  );
  return (
    <article className={`product-card${verified ? '' : ' is-unverified'}`} data-testid={TEST_IDS.productCard} data-url={product.url} data-verified={verified ? 'true' : 'false'}>
      <header className="product-band">
        <Icon name={verified ? 'shield' : 'warning'} size={16} />
        <span className="product-merchant" data-testid={verified ? TEST_IDS.verifiedMerchantBadge : TEST_IDS.productMerchant}>
          {verified ? t('links.verifiedBy', { name: product.merchant.name }) : `${product.merchant.name} · ${t('links.unverified')}`}
        </span>
      </header>
      {verified ? (
        // Named by what it shows (label in name), then the full address it opens: apart from the inline link to the same URL.
        <button type="button" className="product-body" onClick={() => void openLink(client, product.url)} data-testid={TEST_IDS.productCardOpen}>
          {body(t('links.productOpens', { url: product.url }))}
        </button>
      ) : (
        // As an unverified link is: plain text, nothing to click or focus (docs/security.md).
        <div className="product-body is-static" data-testid={TEST_IDS.productCardOpen}>
          {body(undefined)}
        </div>
      )}
      {meta}
    </article>
  );
}
