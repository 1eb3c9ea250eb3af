// Adds a field to the answer's Vary header, keeping what is there (CORS's Origin, for one).
import type { FastifyReply } from 'fastify';

export function appendVary(reply: FastifyReply, field: string): FastifyReply {
  const current = reply.getHeader('vary');
  const fields =
    current === undefined
      ? []
      : String(current)
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
  if (!fields.some((f) => f.toLowerCase() === field.toLowerCase())) fields.push(field);
  return reply.header('vary', fields.join(', '));
}
