// Bulk actions (SPEC S5.5) on the selected contacts or on everything matching the filter,
// each confirmed with the number of contacts that will change.
import { useState } from 'react';
import { api, type Filter } from '../api';
import { ConfirmDialog } from '../components/Dialog';
import { TagInput } from '../components/TagInput';
import { errorText, useToast } from '../components/ui';
import { useFields, useGroups, useTags } from '../hooks';

type Action = 'add_tags' | 'remove_tags' | 'set_field' | 'add_to_group' | 'remove_from_group' | 'star' | 'unstar'
  | 'dnc_on' | 'dnc_off' | 'delete' | 'restore' | 'delete_permanently';

const labels: Record<Action, string> = {
  add_tags: 'Add tags', remove_tags: 'Remove tags', set_field: 'Set a field', add_to_group: 'Add to group',
  remove_from_group: 'Remove from group', star: 'Star', unstar: 'Unstar', dnc_on: 'Mark do-not-call',
  dnc_off: 'Allow calls', delete: 'Delete', restore: 'Restore', delete_permanently: 'Delete permanently',
};

export function BulkBar({ trash, count, ids, filter, total, canSelectAll, onSelectAll, onClear, onDone }: {
  trash: boolean; count: number; ids: number[] | null; filter: Filter; total: number; canSelectAll: boolean;
  onSelectAll: () => void; onClear: () => void; onDone: () => void;
}) {
  const toast = useToast();
  const tags = useTags();
  const groups = useGroups();
  const fields = useFields();
  const [action, setAction] = useState<Action | null>(null);
  const [tagList, setTagList] = useState<string[]>([]);
  const [group, setGroup] = useState('');
  const [field, setField] = useState('');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const actions: Action[] = trash ? ['restore', 'delete_permanently']
    : ['add_tags', 'remove_tags', 'add_to_group', 'remove_from_group', 'set_field', 'star', 'unstar', 'dnc_on', 'dnc_off', 'delete'];
  const def = (fields.data ?? []).find((f) => f.key === field);

  const run = async () => {
    if (!action) return;
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { action: action === 'dnc_on' || action === 'dnc_off' ? 'set_dnc' : action };
    if (ids) body.ids = ids;
    else {
      const f = { ...filter };
      delete f.trash;
      body.filter = f;
    }
    if (action === 'add_tags' || action === 'remove_tags') body.tags = tagList;
    if (action === 'add_to_group' || action === 'remove_from_group') body.group = group;
    if (action === 'dnc_on' || action === 'dnc_off') body.value = action === 'dnc_on';
    if (action === 'set_field') {
      body.field = field;
      body.value = value === '' ? null : def?.type === 'checkbox' ? value === 'true'
        : def?.type === 'integer' || def?.type === 'decimal' ? Number(value) : value;
    }
    try {
      const r = await api.post<{ affected: number }>('/api/v1/contacts/actions', body);
      toast(`${labels[action]}: ${r.affected.toLocaleString()} ${r.affected === 1 ? 'contact' : 'contacts'} changed`);
      setAction(null);
      setTagList([]);
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const noun = `${count.toLocaleString()} ${count === 1 ? 'contact' : 'contacts'}`;
  const ready = action === 'add_tags' || action === 'remove_tags' ? tagList.length > 0
    : action === 'add_to_group' || action === 'remove_from_group' ? group.trim() !== ''
      : action === 'set_field' ? field !== '' : true;

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <span className="bulk-count"><strong>{noun}</strong> selected</span>
      {canSelectAll && <button type="button" className="button small ghost" onClick={onSelectAll}>Select all {total.toLocaleString()} matching</button>}
      <button type="button" className="button small ghost" onClick={onClear}>Clear selection</button>
      <span className="toolbar-spacer" />
      {actions.map((a) => (
        <button key={a} type="button" className={a.startsWith('delete') ? 'button small danger ghost' : 'button small'}
          onClick={() => { setError(null); setAction(a); }}>{labels[a]}</button>
      ))}
      <ConfirmDialog open={action !== null} title={action ? `${labels[action]} — ${noun}` : ''}
        confirmLabel={action ? `${labels[action]} (${noun})` : ''} danger={action?.startsWith('delete')} busy={busy} disabled={!ready}
        error={error} onClose={() => setAction(null)} onConfirm={run}
        message={
          <div>
            <p>This changes <strong>{noun}</strong>{ids ? '' : ' — every contact matching the current search and filters'}.
              {action === 'delete' && ' They go to the trash for 30 days.'}
              {action === 'delete_permanently' && ' They are erased with their history; this cannot be undone.'}</p>
            {(action === 'add_tags' || action === 'remove_tags') && (
              <TagInput label="Tags" value={tagList} onChange={setTagList} suggestions={(tags.data ?? []).map((t) => t.label)} placeholder="Type a tag…" />
            )}
            {(action === 'add_to_group' || action === 'remove_from_group') && (
              <div className="field">
                <label htmlFor="bulk-group">Group</label>
                <input id="bulk-group" list="bulk-group-list" value={group} onChange={(e) => setGroup(e.target.value)} />
                <datalist id="bulk-group-list">{(groups.data ?? []).map((g) => <option key={g.id} value={g.name} />)}</datalist>
              </div>
            )}
            {action === 'set_field' && (
              <div className="form-grid">
                <div className="field">
                  <label htmlFor="bulk-field">Field</label>
                  <select id="bulk-field" value={field} onChange={(e) => { setField(e.target.value); setValue(''); }}>
                    <option value="">Choose a field…</option>
                    {(fields.data ?? []).map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
                  </select>
                </div>
                {def && (
                  <div className="field">
                    <label htmlFor="bulk-value">Value (empty clears it)</label>
                    {def.type === 'dropdown' || def.type === 'checkbox' ? (
                      <select id="bulk-value" value={value} onChange={(e) => setValue(e.target.value)}>
                        <option value="">(clear)</option>
                        {(def.type === 'checkbox' ? ['true', 'false'] : def.options).map((o) => <option key={o} value={o}>{o}</option>)}
                      </select>
                    ) : (
                      <input id="bulk-value" value={value} onChange={(e) => setValue(e.target.value)}
                        type={def.type === 'date' ? 'date' : def.type === 'integer' || def.type === 'decimal' ? 'number' : 'text'} />
                    )}
                  </div>
                )}
              </div>
            )}
          </div>
        } />
    </div>
  );
}
