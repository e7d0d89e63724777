/**
 * A fresh clientId for a send. randomUUID needs a secure context; a web build served over plain
 * http on a LAN address is not one, so fall back to the same 122 random bits written in hex.
 */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
