import type { Sql } from '../sqlHandle.js';

export type ReportGroupBy = 'day' | 'week' | 'staff' | 'location' | 'channel';

export interface InboxReportQuery {
  businessId: string;
  timeZone: string;
  /** Local dates, inclusive: the report covers [from 00:00, to + 1 day 00:00) in timeZone. */
  from: string;
  to: string;
  groupBy: ReportGroupBy;
  locationIds: string[] | null;
  channels: string[] | null;
  staffIds: string[] | null;
}

/** One figure of one group (key null with total true: the totals; key null otherwise: no staff). */
export interface ReportRow {
  metric: 'opened' | 'in' | 'out' | 'first_response' | 'response' | 'resolution';
  key: string | null;
  total: boolean;
  n: number;
  p50: number | null;
  p90: number | null;
}

// The report is four statements over the fact tables that insertMessage and the status-history
// trigger write (README "Reports"), run at once on separate connections. Each groups by the key
// and by nothing (the totals) in one pass (GROUPING SETS): percentiles do not add up, so totals are
// computed, not summed. $1 business, $2 time zone, $3/$4 local dates, $5 locations, $6 channels, $7 staff.

const range = (t: string) => `${t} >= ($3::date)::timestamp AT TIME ZONE $2::text AND ${t} < ($4::date + 1)::timestamp AT TIME ZONE $2::text`;
const localDay = (t: string) => `(${t} AT TIME ZONE $2::text)::date`;

function keyOf(groupBy: ReportGroupBy, t: { at: string; staff: string; location: string; channel: string }): string {
  switch (groupBy) {
    case 'day':
      return `to_char(${localDay(t.at)}, 'YYYY-MM-DD')`;
    case 'week':
      return `to_char(date_trunc('week', ${t.at} AT TIME ZONE $2::text), 'YYYY-MM-DD')`;
    case 'staff':
      return `${t.staff}::text`;
    case 'location':
      return `${t.location}::text`;
    case 'channel':
      return `${t.channel}::text`;
  }
}

const filters = (t: { location: string; channel: string; staff: string }) =>
  `($5::uuid[] IS NULL OR ${t.location} = ANY($5::uuid[])) AND ($6::text[] IS NULL OR ${t.channel}::text = ANY($6::text[]))
   AND ($7::uuid[] IS NULL OR ${t.staff} = ANY($7::uuid[]))`;

const durations = (metric: string) => `'${metric}'::text AS metric, count(*)::int AS n,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90`;

function statements(groupBy: ReportGroupBy): string[] {
  const opened = { at: 'o.opened_at', staff: 'o.assignee_id', location: 'o.location_id', channel: 'o.channel' };
  const replies = { at: 'r.replied_at', staff: 'r.staff_id', location: 'r.location_id', channel: 'r.channel' };
  const resolved = { at: 's.changed_at', staff: 's.assignee_id', location: 's.location_id', channel: 'o.channel' };
  // Volumes: one row per conversation, local day and assignee, the channels as columns (unpivoted).
  const day = groupBy === 'week' ? `date_trunc('week', d.day)::date` : 'd.day';
  const volumeKey =
    groupBy === 'day' || groupBy === 'week'
      ? `to_char(${day}, 'YYYY-MM-DD')`
      : groupBy === 'staff'
        ? `nullif(d.assignee_key, '00000000-0000-0000-0000-000000000000')::text`
        : groupBy === 'location'
          ? 'd.location_id::text'
          : 'v.channel';
  return [
    `SELECT key, GROUPING(key) = 1 AS total, 'opened'::text AS metric, count(*)::int AS n, NULL::float8 AS p50, NULL::float8 AS p90
       FROM (SELECT ${keyOf(groupBy, opened)} AS key FROM report_openings o
              WHERE o.business_id = $1::text AND ${range('o.opened_at')} AND ${filters(opened)}) x
      GROUP BY GROUPING SETS ((key), ())`,
    groupBy === 'channel'
      ? `SELECT key, GROUPING(key) = 1 AS total, v.metric, sum(v.n)::int AS n, NULL::float8 AS p50, NULL::float8 AS p90
           FROM (SELECT v.channel AS key, v.metric, v.n
                   FROM report_conversation_days d
                  CROSS JOIN LATERAL (VALUES ('sms', 'in', d.sms_in), ('sms', 'out', d.sms_out), ('email', 'in', d.email_in),
                                             ('email', 'out', d.email_out), ('voice', 'in', d.voice_in), ('voice', 'out', d.voice_out)) AS v(channel, metric, n)
                  WHERE d.business_id = $1::text AND d.day BETWEEN $3::date AND $4::date AND v.n > 0 AND $2::text IS NOT NULL
                    AND ($5::uuid[] IS NULL OR d.location_id = ANY($5::uuid[])) AND ($6::text[] IS NULL OR v.channel = ANY($6::text[]))
                    AND ($7::uuid[] IS NULL OR d.assignee_key = ANY($7::uuid[]))) v
          GROUP BY GROUPING SETS ((key, v.metric), (v.metric))`
      : // Summed as columns (no unpivot per row), then one row per metric from the (few) groups.
        `SELECT a.key, a.total, v.metric, v.n, NULL::float8 AS p50, NULL::float8 AS p90
           FROM (SELECT ${volumeKey} AS key, GROUPING(${volumeKey}) = 1 AS total,
                        sum(CASE WHEN $6::text[] IS NULL OR 'sms' = ANY($6::text[]) THEN d.sms_in ELSE 0 END
                          + CASE WHEN $6::text[] IS NULL OR 'email' = ANY($6::text[]) THEN d.email_in ELSE 0 END
                          + CASE WHEN $6::text[] IS NULL OR 'voice' = ANY($6::text[]) THEN d.voice_in ELSE 0 END)::int AS n_in,
                        sum(CASE WHEN $6::text[] IS NULL OR 'sms' = ANY($6::text[]) THEN d.sms_out ELSE 0 END
                          + CASE WHEN $6::text[] IS NULL OR 'email' = ANY($6::text[]) THEN d.email_out ELSE 0 END
                          + CASE WHEN $6::text[] IS NULL OR 'voice' = ANY($6::text[]) THEN d.voice_out ELSE 0 END)::int AS n_out
                   FROM report_conversation_days d
                  WHERE d.business_id = $1::text AND d.day BETWEEN $3::date AND $4::date AND $2::text IS NOT NULL
                    AND ($5::uuid[] IS NULL OR d.location_id = ANY($5::uuid[])) AND ($7::uuid[] IS NULL OR d.assignee_key = ANY($7::uuid[]))
                  GROUP BY GROUPING SETS ((${volumeKey}), ())) a
          CROSS JOIN LATERAL (VALUES ('in', a.n_in), ('out', a.n_out)) AS v(metric, n)
          WHERE v.n > 0`,
    `SELECT key, GROUPING(key) = 1 AS total, metric, count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
       FROM (SELECT ${keyOf(groupBy, replies)} AS key, m.metric, m.seconds
               FROM report_replies r
              CROSS JOIN LATERAL (VALUES ('first_response', CASE WHEN r.first THEN extract(epoch FROM r.replied_at - r.opened_at)::float8 END),
                                         ('response', extract(epoch FROM r.replied_at - r.waiting_since)::float8)) AS m(metric, seconds)
              WHERE r.business_id = $1::text AND ${range('r.replied_at')} AND ${filters(replies)} AND m.seconds IS NOT NULL) x
      GROUP BY GROUPING SETS ((key, metric), (metric))`,
    `SELECT key, GROUPING(key) = 1 AS total, ${durations('resolution')}
       FROM (SELECT ${keyOf(groupBy, resolved)} AS key, extract(epoch FROM s.changed_at - s.opened_at)::float8 AS seconds
               FROM conversation_status_changes s
               LEFT JOIN report_openings o ON o.conversation_id = s.conversation_id AND o.opened_at = s.opened_at
              WHERE s.business_id = $1::text AND s.to_status = 'archived' AND s.opened_at IS NOT NULL AND ${range('s.changed_at')}
                AND ${filters(resolved)}) x
      GROUP BY GROUPING SETS ((key), ())`,
  ];
}

/** The report's figures, per group and in total (rows of every metric; a group without a figure has no row). */
export async function selectInboxReport(sql: Sql, q: InboxReportQuery): Promise<ReportRow[]> {
  const values = [q.businessId, q.timeZone, q.from, q.to, q.locationIds, q.channels, q.staffIds];
  const results = await Promise.all(statements(q.groupBy).map((s) => sql.query<ReportRow>(s, values)));
  return results.flat();
}
