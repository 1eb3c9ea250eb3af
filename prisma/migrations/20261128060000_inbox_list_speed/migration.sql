-- Rate limit counters are written on every API request (one upsert per request, hitRateLimitCounter).
-- As an UNLOGGED table that write skips the WAL and its fsync at commit: in the inbox-list benchmark
-- the limiter's statement went from a p50 of 4.2 ms to 0.6 ms.
-- The trade-off, accepted: PostgreSQL empties an unlogged table after a crash (not after a clean
-- shutdown), and does not replicate it to standbys. Counters then restart from zero, so for at most
-- one window (60 s) a client may get up to its limit again; nothing else is lost, as the table holds
-- only counters. Prisma's schema cannot say UNLOGGED: see the comment at model RateLimitCounter.
ALTER TABLE "rate_limit_counters" SET UNLOGGED;
