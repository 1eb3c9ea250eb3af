// Shared by the sending benchmarks: queued SMS as queueSms leaves them (a business with one location
// and its number, 2,000 clients with their conversations, the messages and their send_sms jobs),
// written in bulk. Not a benchmark itself (bench/run.ts skips files starting with _).
import type { Pool } from '../src/db/pool.js';
import { SEND_JOB_MAX_ATTEMPTS } from '../src/domain/sending/sendJobMaxAttempts.js';

/** `count` queued SMS of business `businessId`, sent from `fromNumber` to 2,000 clients in turn. */
export async function queueSends(pool: Pool, businessId: string, fromNumber: string, count: number): Promise<void> {
  await pool.query(`INSERT INTO businesses (id, name, updated_at) VALUES ($1, $1, now())`, [businessId]);
  await pool.query(`INSERT INTO locations (business_id, name, sms_phone_number, updated_at) VALUES ($1, 'Main', $2, now())`, [businessId, fromNumber]);
  await pool.query(`INSERT INTO clients (business_id, phones, updated_at) SELECT $1, ARRAY['+1415' || lpad((5000000 + i)::text, 7, '0')], now() FROM generate_series(1, 2000) i`, [businessId]);
  await pool.query(
    `INSERT INTO conversations (business_id, client_id, location_id)
     SELECT $1, c.id, l.id FROM clients c JOIN locations l ON l.business_id = $1 WHERE c.business_id = $1`,
    [businessId],
  );
  await pool.query(
    `WITH conv AS (SELECT cv.id, cv.client_id, cv.location_id, c.phones[1] AS phone, row_number() OVER (ORDER BY cv.id) - 1 AS k
                     FROM conversations cv JOIN clients c ON c.id = cv.client_id WHERE cv.business_id = $1),
          m AS (
            INSERT INTO messages (business_id, conversation_id, client_id, location_id, channel, direction, status, body, to_address, media, metadata, updated_at)
            SELECT $1, conv.id, conv.client_id, conv.location_id, 'sms', 'outbound', 'queued', 'Reminder #' || i || ': see you tomorrow at 3pm.', conv.phone, '[]', '{}', now()
              FROM generate_series(0, $2::int - 1) i JOIN conv ON conv.k = i % 2000
            RETURNING id)
     SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
       SELECT ('send_sms', json_build_object('messageId', m.id), NULL, now(), $3::int, 'send_sms:' || m.id, NULL, NULL)::graphile_worker.job_spec FROM m))`,
    [businessId, count, SEND_JOB_MAX_ATTEMPTS],
  );
}
