// The contacts list: search as you type, every filter, presets, sortable virtualised
// table over cursor pages, selection and bulk actions; the trash is the same list.
import { useMemo, useRef, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { atLeast, formatDate, fullName, noteStatus, toQuery, type Contact, type Filter, type Page } from '../api';
import { useMe } from '../auth';
import { Link } from '../router';
import { EmptyState, ErrorBanner, Spinner, TagChip } from '../components/ui';
import { useDebounced, useTags } from '../hooks';
import { ContactDrawer } from './ContactDrawer';
import { ContactFormDialog } from './ContactForm';
import { BulkBar } from './BulkActions';
import { countFilters, FilterPanel } from './FilterPanel';
import { PresetMenu } from './Presets';

const PAGE = 100;
const ROW_HEIGHT = 52;

type SortKey = 'name' | '-name' | 'created_at' | '-created_at' | 'last_called_at' | '-last_called_at';

// Drops half-written conditions (a custom field condition without its value yet).
function cleanFilter(f: Filter): Filter {
  const out: Filter = {};
  for (const [k, v] of Object.entries(f)) {
    if (Array.isArray(v) ? v.length === 0 : v === '') continue;
    out[k] = v;
  }
  return out;
}

export function ContactsPage({ trash }: { trash: boolean }) {
  const me = useMe();
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>({});
  const [showFilters, setShowFilters] = useState(false);
  const [sort, setSort] = useState<SortKey>('-created_at');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const tags = useTags();
  const q = useDebounced(search.trim(), 150);

  const effective = useMemo(() => {
    const f = cleanFilter(filter);
    if (q) f.q = q;
    if (trash) f.trash = 'true';
    return f;
  }, [filter, q, trash]);

  const query = useInfiniteQuery({
    queryKey: ['contacts', effective, sort],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      fetch(`/api/v1/contacts?${toQuery(effective, { sort, limit: String(PAGE), cursor: pageParam || undefined })}`, { signal, credentials: 'same-origin' })
        .then(async (r) => {
          if (!r.ok) {
            noteStatus(r.status, '/api/v1/contacts');
            const j = await r.json().catch(() => ({}));
            throw new Error(j?.error?.message ?? `The server answered ${r.status}`);
          }
          return r.json() as Promise<Page<Contact>>;
        }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: (prev) => prev,
  });

  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const total = query.data?.pages[0]?.total ?? 0;
  const tagColors = useMemo(() => Object.fromEntries((tags.data ?? []).map((t) => [t.label.toLowerCase(), t.color])), [tags.data]);

  const toggle = (id: number) => {
    setAllMatching(false);
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  };
  const clearSelection = () => {
    setSelected(new Set());
    setAllMatching(false);
  };
  const allLoadedSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));

  const canEdit = atLeast(me.role, 'manager');
  const columns = useMemo<ColumnDef<Contact>[]>(() => [
    ...(canEdit ? [{
      id: 'select',
      header: () => (
        <input type="checkbox" aria-label="Select all loaded contacts" checked={allLoadedSelected}
          onChange={() => (allLoadedSelected ? clearSelection() : setSelected(new Set(rows.map((r) => r.id))))} />
      ),
      cell: ({ row }) => (
        <input type="checkbox" aria-label={`Select ${fullName(row.original) || row.original.phone}`}
          checked={allMatching || selected.has(row.original.id)} onChange={() => toggle(row.original.id)}
          onClick={(e) => e.stopPropagation()} />
      ),
    } as ColumnDef<Contact>] : []),
    {
      id: 'name', header: 'Name',
      cell: ({ row }) => (
        <span className="name-cell">
          {row.original.starred && <span className="star on" role="img" aria-label="Starred">★</span>}
          <span className="avatar" aria-hidden="true">{(row.original.first_name[0] ?? row.original.last_name[0] ?? '#').toUpperCase()}</span>
          <span className="name-text">{fullName(row.original) || <span className="muted">No name</span>}</span>
          {row.original.do_not_call && <span className="badge badge-dnc" title="Do not call">DNC</span>}
        </span>
      ),
    },
    { id: 'phone', header: 'Phone', cell: ({ row }) => <span className="mono">{row.original.phone_formatted}</span> },
    { id: 'email', header: 'Email', cell: ({ row }) => row.original.email || <span className="muted">—</span> },
    { id: 'company', header: 'Company', cell: ({ row }) => row.original.company || <span className="muted">—</span> },
    {
      id: 'tags', header: 'Tags',
      cell: ({ row }) => <span className="chips">{row.original.tags.slice(0, 3).map((t) => <TagChip key={t} label={t} color={tagColors[t.toLowerCase()]} />)}{row.original.tags.length > 3 && <span className="muted">+{row.original.tags.length - 3}</span>}</span>,
    },
    { id: 'created_at', header: trash ? 'Deleted' : 'Created', cell: ({ row }) => formatDate(trash ? row.original.deleted_at : row.original.created_at) },
    { id: 'last_called_at', header: 'Last called', cell: ({ row }) => formatDate(row.original.last_called_at) },
  ], [rows, selected, allMatching, allLoadedSelected, tagColors, trash, canEdit]);

  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel() });
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  if (last && last.index >= rows.length - 30 && query.hasNextPage && !query.isFetchingNextPage) query.fetchNextPage();

  const sortable: Record<string, [SortKey, SortKey]> = {
    name: ['name', '-name'], created_at: ['created_at', '-created_at'], last_called_at: ['last_called_at', '-last_called_at'],
  };
  const headerFor = (id: string, label: React.ReactNode) => {
    const s = sortable[id];
    if (!s) return label;
    const active = sort === s[0] ? 'ascending' : sort === s[1] ? 'descending' : undefined;
    return (
      <button type="button" className="sort-button" title={`Sort by ${String(label)}`}
        onClick={() => setSort(sort === s[0] ? s[1] : s[0])}>
        {label}<span aria-hidden="true" className="sort-arrow">{active === 'ascending' ? '▲' : active === 'descending' ? '▼' : '↕'}</span>
      </button>
    );
  };
  const ariaSort = (id: string) => {
    const s = sortable[id];
    if (!s) return undefined;
    return sort === s[0] ? 'ascending' : sort === s[1] ? 'descending' : 'none';
  };

  const selectedCount = allMatching ? total : selected.size;
  const nFilters = countFilters(filter);
  // Lists, open contacts and tag counts all follow a change.
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['contacts'] });
    qc.invalidateQueries({ queryKey: ['contact'] });
    qc.invalidateQueries({ queryKey: ['history'] });
    qc.invalidateQueries({ queryKey: ['tags'] });
  };

  return (
    <div className="page contacts-page">
      <div className="page-head">
        <div>
          <h1>{trash ? 'Trash' : 'Contacts'}</h1>
          <p className="muted" aria-live="polite">
            {query.isPending ? 'Loading…' : `${total.toLocaleString()} ${total === 1 ? 'contact' : 'contacts'}${q || nFilters ? ' match' : ''}`}
            {trash && ' · contacts stay here for 30 days, then they are erased'}
          </p>
        </div>
        {!trash && (
          <div className="head-actions">
            {canEdit && <Link to="/imports/new" className="button">Import contacts</Link>}
            <button type="button" className="button primary" onClick={() => setAdding(true)}>+ Add contact</button>
          </div>
        )}
      </div>

      <div className="toolbar">
        <div className="search">
          <label htmlFor="contact-search" className="inline-label">Search contacts</label>
          <input id="contact-search" type="search" placeholder="Search name, phone, email, company, notes…" value={search}
            onChange={(e) => setSearch(e.target.value)} autoComplete="off" />
        </div>
        <button type="button" className={nFilters ? 'button active' : 'button'} aria-expanded={showFilters}
          onClick={() => setShowFilters((v) => !v)}>Filters{nFilters ? ` (${nFilters})` : ''}</button>
        {nFilters > 0 && <button type="button" className="button ghost" onClick={() => setFilter({})}>Clear filters</button>}
        {!trash && <PresetMenu filter={cleanFilter(filter)} onApply={(f) => { setFilter(f); setShowFilters(true); }} />}
        <div className="toolbar-spacer" />
        <div className="toolbar-group">
          <label htmlFor="sort-select" className="inline-label">Sort</label>
          <select id="sort-select" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
            <option value="-created_at">Newest first</option>
            <option value="created_at">Oldest first</option>
            <option value="name">Name A–Z</option>
            <option value="-name">Name Z–A</option>
            <option value="-last_called_at">Recently called</option>
            <option value="last_called_at">Least recently called</option>
          </select>
        </div>
      </div>

      {showFilters && <FilterPanel filter={filter} onChange={(f) => { setFilter(f); clearSelection(); }} />}

      {canEdit && selectedCount > 0 && (
        <BulkBar trash={trash} count={selectedCount} ids={allMatching ? null : [...selected]} filter={effective}
          canSelectAll={!allMatching && selected.size >= rows.length && total > rows.length}
          onSelectAll={() => setAllMatching(true)} onClear={clearSelection}
          onDone={() => { clearSelection(); refresh(); }} total={total} />
      )}

      <ErrorBanner error={query.error} />
      <div className={canEdit ? 'table-wrap' : 'table-wrap no-select'} role="region" aria-label={trash ? 'Trashed contacts' : 'Contact list'}>
        <div role="table" aria-rowcount={total + 1} className="grid-table">
          <div role="rowgroup" className="grid-head">
            {table.getHeaderGroups().map((hg) => (
              <div role="row" key={hg.id} className="grid-row head">
                {hg.headers.map((h) => (
                  <div role="columnheader" key={h.id} className={`cell col-${h.column.id}`} aria-sort={ariaSort(h.column.id)}>
                    {headerFor(h.column.id, flexRender(h.column.columnDef.header, h.getContext()))}
                  </div>
                ))}
              </div>
            ))}
          </div>
          <div ref={scrollRef} className="grid-body" role="rowgroup">
            {query.isPending && <Spinner label="Loading contacts…" />}
            {!query.isPending && rows.length === 0 && (
              trash ? <EmptyState title="The trash is empty">Deleted contacts wait here for 30 days.</EmptyState>
                : q || nFilters ? <EmptyState title="No contacts match">Try fewer words or clear the filters.</EmptyState>
                  : <EmptyState title="No contacts yet">Add your first contact, or send them in bulk through the API.</EmptyState>
            )}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((vi) => {
                const row = table.getRowModel().rows[vi.index];
                if (!row) return null;
                return (
                  <div role="row" key={row.id} aria-rowindex={vi.index + 2} tabIndex={0}
                    className={selected.has(row.original.id) || allMatching ? 'grid-row selected' : 'grid-row'}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${vi.start}px)` }}
                    onClick={() => setOpenId(row.original.id)}
                    onKeyDown={(e) => { if (e.key === 'Enter') setOpenId(row.original.id); }}
                    aria-label={`${fullName(row.original) || 'No name'}, ${row.original.phone}`}>
                    {row.getVisibleCells().map((cell) => (
                      <div role="cell" key={cell.id} className={`cell col-${cell.column.id}`}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
            {query.isFetchingNextPage && <Spinner label="Loading more…" />}
          </div>
        </div>
      </div>

      {openId !== null && <ContactDrawer id={openId} onClose={() => setOpenId(null)} onChanged={refresh} />}
      {adding && <ContactFormDialog onClose={() => setAdding(false)} onCreated={(c) => { setAdding(false); refresh(); setOpenId(c.id); }}
        onOpenExisting={(id) => { setAdding(false); refresh(); setOpenId(id); }} />}
    </div>
  );
}
