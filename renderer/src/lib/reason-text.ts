import type { TFunction } from 'i18next';
import type { LinkVerdict, VerdictReason } from '../../../protocol';

/** Why a link is dangerous or unverified, in words; a lookalike names what it imitates. */
export function reasonText(t: TFunction, reason: VerdictReason | string | undefined, imitates?: string): string {
  switch (reason) {
    case 'lookalike':
      return imitates === undefined ? t('reasons.lookalike') : t('reasons.lookalikeOf', { domain: imitates });
    case 'phishing':
    case 'fake_shop':
    case 'suspended':
    case 'deceptive_url':
    case 'ip_host':
    case 'pending':
    case 'verification_unavailable':
    case 'redirects_elsewhere':
    case 'not_checked':
    case 'invalid_url':
    case 'no_longer_verified':
      return t(`reasons.${reason}`);
    default:
      return t('reasons.blocked');
  }
}

export function verdictReasonText(t: TFunction, verdict: LinkVerdict): string {
  return reasonText(t, verdict.reason, verdict.imitates);
}
