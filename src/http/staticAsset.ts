// A file held in memory and sent with what a browser needs to cache it: a strong ETag (304 on a
// match), Cache-Control (a year and immutable for content-hashed names), and Brotli or gzip when the
// request accepts them. Each encoding is computed once, on first demand, off the event loop.
//
// @fastify/static does this for files on disk; GraphiQL's assets are strings inside a package's
// module, and compressing per request (@fastify/compress) would redo ~100 ms of work per download.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

type Encoding = 'br' | 'gzip';

export interface StaticAsset {
  body: Buffer;
  type: string;
  etag: string;
  encoded: Partial<Record<Encoding, Promise<Buffer>>>;
}

export function staticAsset(body: Buffer, type: string): StaticAsset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, encoded: {} };
}

/** Below this, compressing saves less than the headers it costs. */
const MIN_COMPRESSED_BYTES = 1024;

function encode(asset: StaticAsset, encoding: Encoding): Promise<Buffer> {
  return (asset.encoded[encoding] ??=
    encoding === 'br'
      ? brotli(asset.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length } })
      : gzipAsync(asset.body, { level: 6 }));
}

/** The encoding to send: br, else gzip, when Accept-Encoding names it (or *) with a q above 0. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.slice(0, 1024).split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(token, Number.isFinite(value) ? value : 0);
  }
  const accepts = (encoding: Encoding) => (q.get(encoding) ?? q.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

export async function sendAsset(req: FastifyRequest, reply: FastifyReply, asset: StaticAsset, options: { immutable: boolean }): Promise<FastifyReply> {
  reply
    .header('cache-control', options.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('etag', asset.etag);
  // Added to CORS's `Vary: Origin`, when that is there.
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
  if (etagMatches(req.headers['if-none-match'], asset.etag)) return reply.status(304).send();
  reply.type(asset.type);
  const encoding = asset.body.length >= MIN_COMPRESSED_BYTES ? chooseEncoding(req.headers['accept-encoding']) : null;
  if (!encoding) return reply.send(asset.body);
  return reply.header('content-encoding', encoding).send(await encode(asset, encoding));
}
