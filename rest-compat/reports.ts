// The inbox report (README "Reports"): GET /businesses/{business_id}/reports/inbox, on the domain
// function GraphQL's inboxReport uses.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { inboxReport, REPORT_CHANNELS, REPORT_GROUP_BYS, REPORT_MAX_FILTER, type DurationStats, type InboxReportFigures } from '../src/domain/reports/inboxReport.js';
import { describe } from './catalog.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, Nullable, StringEnum, Uuid, optional } from './schemas.js';

const durations = Type.Object(
  { count: Type.Integer(), p50: Nullable(Type.Number()), p90: Nullable(Type.Number()) },
  { description: 'Durations in seconds: how many, median and 90th percentile (null when there is none).' },
);

const figures = {
  conversations_opened: Type.Integer({ description: 'Conversations opened (first inbound message) or reopened (inbound after archiving).' }),
  messages_in: Type.Integer(),
  messages_out: Type.Integer({ description: 'Outbound SMS, emails and calls (any sender; notes excluded).' }),
  first_response: durations,
  response: durations,
  resolution: durations,
};

const reportSchema = Type.Object({
  business_id: Type.String(),
  time_zone: Type.String({ description: 'The business time zone the days are in.' }),
  from: Type.String(),
  to: Type.String(),
  group_by: StringEnum([...REPORT_GROUP_BYS]),
  groups: Type.Array(
    Type.Object({
      key: Nullable(Type.String({ description: 'day/week: the local date (a week: its Monday); staff/location: the id (null: no staff member); channel: sms, email or voice.' })),
      ...figures,
    }),
  ),
  totals: Type.Object(figures),
});

const toDurations = (d: DurationStats) => ({ count: d.count, p50: d.p50, p90: d.p90 });
const toFigures = (f: InboxReportFigures) => ({
  conversations_opened: f.conversationsOpened,
  messages_in: f.messagesIn,
  messages_out: f.messagesOut,
  first_response: toDurations(f.firstResponse),
  response: toDurations(f.response),
  resolution: toDurations(f.resolution),
});

const Day = () => Type.String({ format: 'date', description: 'YYYY-MM-DD, a day in the business time zone.' });

export function reportsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/businesses/:business_id/reports/inbox',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/reports/inbox'),
          security: apiKeySecurity,
          description:
            'Conversations opened, messages in and out, first response, response and resolution times (p50, p90, seconds) per group and in total, over the local days from..to (inclusive, at most 366) of the business time zone. Definitions: README "Reports".',
          params: businessIdParams,
          querystring: Type.Object({
            from: Day(),
            to: Day(),
            group_by: StringEnum([...REPORT_GROUP_BYS]),
            ...optional({
              location_ids: Type.Array(Uuid(), { maxItems: REPORT_MAX_FILTER }),
              channels: Type.Array(StringEnum([...REPORT_CHANNELS]), { maxItems: REPORT_CHANNELS.length }),
              staff_ids: Type.Array(Uuid(), { maxItems: REPORT_MAX_FILTER }),
            }),
          }),
          response: { 200: reportSchema, 404: errorResponse(), ...authErrors },
        },
      },
      async (req) => {
        const q = req.query;
        const report = await inboxReport(deps, {
          businessId: req.params.business_id,
          from: q.from,
          to: q.to,
          groupBy: q.group_by,
          filters: { locationIds: q.location_ids ?? null, channels: q.channels ?? null, staffIds: q.staff_ids ?? null },
        });
        return {
          business_id: report.businessId,
          time_zone: report.timeZone,
          from: report.from,
          to: report.to,
          group_by: report.groupBy,
          groups: report.groups.map((g) => ({ key: g.key, ...toFigures(g) })),
          totals: toFigures(report.totals),
        };
      },
    );
  };
}
