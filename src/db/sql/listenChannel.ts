import pg from 'pg';
import type { Sql } from '../sqlHandle.js';

/** LISTEN on `channel` (a connection of the listener's own: notifications arrive on it). */
export async function listenChannel(sql: Sql, channel: string): Promise<void> {
  await sql.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
}
