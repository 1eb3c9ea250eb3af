// Requests Fastify's router refuses before any route runs, answered in the REST error shape
// ({detail, code}) instead of Fastify's own ({error, code, message, statusCode}).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { clip } from './clip.js';

export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const path = req.url.split('?')[0] ?? '';
  const shown = clip(path);
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send({ detail: `The path ${JSON.stringify(shown)} is not valid percent-encoded UTF-8; encode each segment with encodeURIComponent.`, code: 'INVALID_URL' });
    return;
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send({ detail: `A segment of the path ${JSON.stringify(shown)} is too long; ids are at most 128 characters.`, code: 'PATH_SEGMENT_TOO_LONG' });
    return;
  }
  void reply.status(error.statusCode && error.statusCode < 500 ? error.statusCode : 400).send({ detail: clip(error.message), code: error.code ?? 'BAD_REQUEST' });
}
