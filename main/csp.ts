/**
 * The Content-Security-Policy of every app:// response. The page may run only its own scripts
 * and styles, and talk to nothing but the chat server: its HTTP API and Socket.IO (http(s) and
 * the matching ws(s)), and its media for images. No frames, no plugins, no forms, no base URL.
 */
export function buildCsp(serverOrigin: string): string {
  const server = new URL(serverOrigin);
  const socket = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}`;
  const directives: [string, ...string[]][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:', server.origin],
    ['font-src', "'self'"],
    ['connect-src', server.origin, socket],
    ['manifest-src', "'self'"],
    ['media-src', "'none'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['worker-src', "'none'"],
    ['child-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}
