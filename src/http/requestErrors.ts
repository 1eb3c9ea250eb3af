// Errors Fastify raises while reading a request (content type, size, framing), as stable codes:
// the one mapping for REST ({detail, code}) and /graphql ({errors: [{message, extensions: {code}}]}).
import type { FastifyError, FastifyRequest } from 'fastify';
import { clip } from './clip.js';

export interface RequestError {
  status: number;
  code: string;
  detail: string;
}

/** The answer to a 4xx Fastify raised before the route ran; null for anything else. */
export function describeRequestError(error: FastifyError | Error, req: FastifyRequest): RequestError | null {
  const fe = error as FastifyError;
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const accepted = (req.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes ?? ['application/json'];
    const sent = req.headers['content-type'] ? `Content-Type ${clip(req.headers['content-type'], 100)}` : 'A body without Content-Type';
    return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: `${sent} is not accepted on this route; send ${accepted.join(' or ')}.` };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, code: 'BODY_TOO_LARGE', detail: `The body is larger than this route accepts (${req.routeOptions.bodyLimit ?? 'the limit'} bytes).` };
  }
  const status = fe.statusCode;
  if (status === undefined || status < 400 || status >= 500) return null;
  return { status, code: 'BAD_REQUEST', detail: clip(error.message, 500) };
}
