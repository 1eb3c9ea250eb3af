// Whether a request came straight from this machine and names it: the peer is a loopback address,
// the Host header is localhost, 127.0.0.0/8 or [::1], and no proxy header is present. Used to
// decide whether the embedded demo's GraphiQL may carry the demo key (src/graphql/graphiql.ts):
// - a page of another site whose DNS name was rebound to 127.0.0.1 sends its own name as Host;
// - a proxy or tunnel in front of Omega (nginx, ngrok, cloudflared) keeps the public Host or adds
//   Forwarded, X-Forwarded-* or Via.
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '../config.js';

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'];

export function isLoopbackRequest(req: { headers: IncomingHttpHeaders; socket: { remoteAddress?: string | undefined } }): boolean {
  const peer = req.socket.remoteAddress ?? '';
  // An IPv4 peer on a dual-stack socket arrives as ::ffff:127.0.0.1.
  if (!isLoopbackHost(peer.startsWith('::ffff:') ? peer.slice(7) : peer)) return false;
  if (PROXY_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  const host = req.headers.host;
  // A Host is a name or address and a port: nothing a URL parser would read otherwise ("evil@127.0.0.1").
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return false;
  try {
    return isLoopbackHost(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}
