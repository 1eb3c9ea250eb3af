// The inbox report (README "Reports"): figures per day, week, staff member, location or channel.
import { inboxReport, type DurationStats, type InboxReportFigures, type InboxReportGroup } from '../../domain/reports/inboxReport.js';
import { builder } from '../builder.js';
import { ChannelEnum } from './enums.js';

const ReportGroupByEnum = builder.enumType('InboxReportGroupBy', {
  description: 'DAY and WEEK (weeks start on Monday) in the business time zone; STAFF: the staff member who replied (response times) or the assignee (volumes, resolutions); LOCATION; CHANNEL.',
  values: {
    DAY: { value: 'day' as const },
    WEEK: { value: 'week' as const },
    STAFF: { value: 'staff' as const },
    LOCATION: { value: 'location' as const },
    CHANNEL: { value: 'channel' as const },
  },
});

const DurationStatsRef = builder.objectRef<DurationStats>('InboxReportDurations').implement({
  description: 'Durations in seconds: how many, and their median and 90th percentile (null when there is none).',
  fields: (t) => ({
    count: t.exposeInt('count'),
    p50: t.exposeFloat('p50', { nullable: true }),
    p90: t.exposeFloat('p90', { nullable: true }),
  }),
});

const FiguresInterface = builder.interfaceRef<InboxReportFigures>('InboxReportFigures').implement({
  description: 'The figures of a report (README "Reports" has the definitions).',
  fields: (t) => ({
    conversationsOpened: t.exposeInt('conversationsOpened', { description: 'Conversations opened (first inbound message) or reopened (inbound after archiving).' }),
    messagesIn: t.exposeInt('messagesIn', { description: 'Inbound SMS, emails and calls.' }),
    messagesOut: t.exposeInt('messagesOut', { description: 'Outbound SMS, emails and calls (any sender; notes excluded).' }),
    firstResponse: t.field({ type: DurationStatsRef, resolve: (f) => f.firstResponse, description: 'Opening inbound message to the first staff reply.' }),
    response: t.field({ type: DurationStatsRef, resolve: (f) => f.response, description: 'First inbound message after a staff reply (or the opening) to the next staff reply.' }),
    resolution: t.field({ type: DurationStatsRef, resolve: (f) => f.resolution, description: 'Opening to archiving.' }),
  }),
});

const FiguresRef = builder.objectRef<InboxReportFigures>('InboxReportTotals').implement({
  description: 'The figures over the whole range and filters.',
  interfaces: [FiguresInterface],
  isTypeOf: () => true,
  fields: () => ({}),
});

const GroupRef = builder.objectRef<InboxReportGroup>('InboxReportGroup').implement({
  description: 'The figures of one group.',
  interfaces: [FiguresInterface],
  isTypeOf: () => true,
  fields: (t) => ({
    key: t.exposeString('key', {
      nullable: true,
      description: 'DAY/WEEK: the local date (YYYY-MM-DD; a week: its Monday); STAFF/LOCATION: the id (null: no staff member); CHANNEL: sms, email or voice.',
    }),
  }),
});

const InboxReportRef = builder.objectRef<Awaited<ReturnType<typeof inboxReport>>>('InboxReport').implement({
  fields: (t) => ({
    businessId: t.exposeString('businessId'),
    timeZone: t.exposeString('timeZone', { description: 'The business time zone the days are in.' }),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    groups: t.field({ type: [GroupRef], resolve: (r) => r.groups, description: 'Groups with at least one figure, by key.' }),
    totals: t.field({ type: FiguresRef, resolve: (r) => r.totals }),
  }),
});

const InboxReportFiltersInput = builder.inputType('InboxReportFilters', {
  fields: (t) => ({
    locationIds: t.stringList({ description: 'Only these locations (at most 100).' }),
    channels: t.field({ type: [ChannelEnum], description: 'Only these channels (sms, email, voice).' }),
    staffIds: t.stringList({ description: 'Only these staff members: the replier for response times, the assignee for volumes and resolutions (at most 100).' }),
  }),
});

builder.queryFields((t) => ({
  inboxReport: t.field({
    type: InboxReportRef,
    description: 'The inbox report over local days from..to (inclusive, at most 366 days) of the business time zone. Definitions: README "Reports".',
    args: {
      businessId: t.arg.string({ required: true }),
      from: t.arg.string({ required: true, description: 'First day, YYYY-MM-DD.' }),
      to: t.arg.string({ required: true, description: 'Last day, YYYY-MM-DD (inclusive).' }),
      groupBy: t.arg({ type: ReportGroupByEnum, required: true }),
      filters: t.arg({ type: InboxReportFiltersInput }),
    },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (_root, args, ctx) =>
      inboxReport(ctx.deps, {
        businessId: args.businessId,
        from: args.from,
        to: args.to,
        groupBy: args.groupBy,
        filters: args.filters ? { locationIds: args.filters.locationIds, channels: args.filters.channels, staffIds: args.filters.staffIds } : null,
      }),
  }),
}));
