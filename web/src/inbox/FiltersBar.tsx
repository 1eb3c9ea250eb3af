// The list's filters: location, channel, assignee, client type and group, date; options (with
// counts) from conversationFilters.
import type { Channel } from '../gql/graphql';
import { Button } from '../ui';
import { activeFilterCount, type DateRange, type ListFilters } from './filters';
import { useFilterCounts } from './useFilterCounts';

interface Option {
  value: string | null;
  label: string;
  count: number;
}

function Select({
  label,
  value,
  options,
  onChange,
  allLabel,
}: {
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange(value: string | undefined): void;
  allLabel: string;
}) {
  return (
    <select className={`filter-select${value ? ' active' : ''}`} aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{allLabel}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

const withCount = (options: readonly Option[]) => options.filter((o) => o.value !== null).map((o) => ({ value: o.value!, label: `${o.label} (${o.count})` }));

export function FiltersBar({ filters, onChange }: { filters: ListFilters; onChange(filters: ListFilters): void }) {
  const { data } = useFilterCounts();
  const set = <K extends keyof ListFilters>(key: K, value: ListFilters[K]) => onChange({ ...filters, [key]: value });
  return (
    <div className="filters" role="group" aria-label="Filters">
      <Select label="Location" allLabel="All locations" value={filters.locationId} options={withCount(data?.locations ?? [])} onChange={(v) => set('locationId', v)} />
      <Select label="Channel" allLabel="All channels" value={filters.channel} options={withCount(data?.channels ?? [])} onChange={(v) => set('channel', v as Channel | undefined)} />
      <Select
        label="Assignee"
        allLabel="Anyone"
        value={filters.assignee}
        options={[{ value: 'none', label: 'Unassigned' }, ...withCount(data?.assignees ?? [])]}
        onChange={(v) => set('assignee', v)}
      />
      {data && data.clientTypes.length > 0 ? (
        <Select label="Client type" allLabel="All client types" value={filters.clientType} options={withCount(data.clientTypes)} onChange={(v) => set('clientType', v)} />
      ) : null}
      {data && data.clientGroups.length > 0 ? (
        <Select label="Client group" allLabel="All groups" value={filters.clientGroup} options={withCount(data.clientGroups)} onChange={(v) => set('clientGroup', v)} />
      ) : null}
      <Select
        label="Date"
        allLabel="Any time"
        value={filters.date === 'any' ? undefined : filters.date}
        options={[
          { value: 'today', label: 'Today' },
          { value: '7d', label: 'Last 7 days' },
          { value: '30d', label: 'Last 30 days' },
        ]}
        onChange={(v) => set('date', v as DateRange | undefined)}
      />
      {activeFilterCount(filters) > 0 ? (
        <Button size="sm" variant="ghost" onClick={() => onChange({})}>
          Clear
        </Button>
      ) : null}
    </div>
  );
}
