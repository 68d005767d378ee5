// Every filter of the contact list (SPEC S5.2) as a form over the Filter object.
import { useState } from 'react';
import type { FieldDef, Filter } from '../api';
import { TagInput } from '../components/TagInput';
import { useDepartments, useFields, useGroups, useTags } from '../hooks';

const ops: { value: string; label: string; types: string[] }[] = [
  { value: '', label: 'is', types: ['text', 'long_text', 'integer', 'decimal', 'date', 'dropdown', 'checkbox'] },
  { value: 'contains', label: 'contains', types: ['text', 'long_text'] },
  { value: 'gte', label: 'is at least', types: ['integer', 'decimal', 'date'] },
  { value: 'lte', label: 'is at most', types: ['integer', 'decimal', 'date'] },
  { value: 'empty', label: 'is empty', types: ['text', 'long_text', 'integer', 'decimal', 'date', 'dropdown', 'checkbox'] },
  { value: 'notempty', label: 'is not empty', types: ['text', 'long_text', 'integer', 'decimal', 'date', 'dropdown', 'checkbox'] },
];

function str(f: Filter, k: string): string {
  const v = f[k];
  return Array.isArray(v) ? v[0] ?? '' : v ?? '';
}

function list(f: Filter, k: string): string[] {
  const v = f[k];
  return Array.isArray(v) ? v : v ? [v] : [];
}

export function countFilters(f: Filter): number {
  return Object.keys(f).filter((k) => k !== 'q' && k !== 'tag_mode' && (Array.isArray(f[k]) ? f[k].length : f[k] !== '')).length;
}

export function FilterPanel({ filter, onChange }: { filter: Filter; onChange: (f: Filter) => void }) {
  const tags = useTags();
  const groups = useGroups();
  const departments = useDepartments();
  const fields = useFields();
  const set = (k: string, v: string | string[]) => {
    const next = { ...filter };
    if ((Array.isArray(v) && v.length === 0) || v === '') delete next[k];
    else next[k] = v;
    onChange(next);
  };
  const cfKeys = Object.keys(filter).filter((k) => k.startsWith('cf.'));
  const [newField, setNewField] = useState('');
  const fieldDefs = fields.data ?? [];
  const colors = Object.fromEntries((tags.data ?? []).map((t) => [t.label.toLowerCase(), t.color]));
  const choice = (id: string, label: string, k: string, options: [string, string][]) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={str(filter, k)} onChange={(e) => set(k, e.target.value)}>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </div>
  );
  const dateFilter = (id: string, label: string, k: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={str(filter, k)} onChange={(e) => set(k, e.target.value)} />
    </div>
  );

  return (
    <section className="filter-panel" aria-label="Filters">
      <div className="filter-grid">
        <div className="filter-tags">
          <TagInput label="Tags" value={list(filter, 'tag')} onChange={(v) => set('tag', v)}
            suggestions={(tags.data ?? []).map((t) => t.label)} colors={colors} placeholder="Any tag…" />
          <div className="field">
            <label htmlFor="f-tag-mode">Match tags</label>
            <select id="f-tag-mode" value={str(filter, 'tag_mode') || 'any'} onChange={(e) => set('tag_mode', e.target.value === 'any' ? '' : e.target.value)}>
              <option value="any">any of them</option>
              <option value="all">all of them</option>
              <option value="none">none of them</option>
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="f-group">Group</label>
          <select id="f-group" value={str(filter, 'group')} onChange={(e) => set('group', e.target.value)}>
            <option value="">Any group</option>
            {(groups.data ?? []).map((g) => <option key={g.id} value={g.name}>{g.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-department">Department</label>
          <select id="f-department" value={str(filter, 'department')} onChange={(e) => set('department', e.target.value)}>
            <option value="">Any department</option>
            {(departments.data ?? []).map((g) => <option key={g.id} value={g.name}>{g.name}</option>)}
          </select>
        </div>
        {dateFilter('f-created-after', 'Created from', 'created_after')}
        {dateFilter('f-created-before', 'Created before', 'created_before')}
        {dateFilter('f-called-after', 'Last called from', 'last_called_after')}
        {dateFilter('f-called-before', 'Last called before', 'last_called_before')}
        {choice('f-never-called', 'Calls', 'never_called', [['', 'Called or not'], ['true', 'Never called'], ['false', 'Called at least once']])}
        {choice('f-starred', 'Starred', 'starred', [['', 'All'], ['true', 'Starred'], ['false', 'Not starred']])}
        {choice('f-dnc', 'Do not call', 'dnc', [['', 'All'], ['true', 'On the do-not-call list'], ['false', 'Callable']])}
        {choice('f-consent', 'Consent', 'consent', [['', 'Any'], ['granted', 'Granted'], ['unknown', 'Unknown'], ['revoked', 'Revoked']])}
        {choice('f-source', 'Source', 'source', [['', 'Any'], ['manual', 'Added by hand'], ['import', 'Import'], ['api', 'API'],
          ['inbound_call', 'Inbound call'], ['inbound_sms', 'Inbound SMS']])}
      </div>
      {fieldDefs.length > 0 && (
        <div className="cf-filters">
          <h3 className="subheading">Custom fields</h3>
          {cfKeys.map((k) => (
            <CfRow key={k} paramKey={k} value={str(filter, k)} fields={fieldDefs}
              onChange={(nk, v) => {
                const next = { ...filter };
                delete next[k];
                if (nk) next[nk] = v;
                onChange(next);
              }} />
          ))}
          <div className="cf-add">
            <label htmlFor="f-cf-new" className="sr-only">Add a custom field condition</label>
            <select id="f-cf-new" value={newField} onChange={(e) => setNewField(e.target.value)}>
              <option value="">Add a condition on…</option>
              {fieldDefs.map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
            </select>
            <button type="button" className="button small" disabled={!newField}
              onClick={() => { set(`cf.${newField}.empty`, 'false'); setNewField(''); }}>Add condition</button>
          </div>
        </div>
      )}
    </section>
  );
}

// One condition: "cf.KEY[.op]=value" (the UI's "notempty" is sent as .empty=false).
function CfRow({ paramKey, value, fields, onChange }: {
  paramKey: string; value: string; fields: FieldDef[]; onChange: (key: string | null, value: string) => void;
}) {
  const parts = paramKey.slice(3).split('.');
  let op = parts.length > 1 ? parts[parts.length - 1] : '';
  const key = parts.length > 1 ? parts.slice(0, -1).join('.') : parts[0];
  if (op === 'empty' && value === 'false') op = 'notempty';
  const def = fields.find((f) => f.key === key);
  if (!def) return null;
  const build = (o: string, v: string) => {
    if (o === 'notempty') return onChange(`cf.${key}.empty`, 'false');
    if (o === 'empty') return onChange(`cf.${key}.empty`, 'true');
    onChange(o ? `cf.${key}.${o}` : `cf.${key}`, v);
  };
  const needsValue = op !== 'empty' && op !== 'notempty';
  const inputType = def.type === 'date' ? 'date' : def.type === 'integer' || def.type === 'decimal' ? 'number' : 'text';
  return (
    <div className="cf-row">
      <span className="cf-label">{def.label}</span>
      <label className="sr-only" htmlFor={`cf-op-${key}`}>Condition on {def.label}</label>
      <select id={`cf-op-${key}`} value={op} onChange={(e) => build(e.target.value, needsValue ? value : '')}>
        {ops.filter((o) => o.types.includes(def.type)).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {needsValue && (def.type === 'dropdown' || def.type === 'checkbox' ? (
        <>
          <label className="sr-only" htmlFor={`cf-val-${key}`}>Value of {def.label}</label>
          <select id={`cf-val-${key}`} value={value} onChange={(e) => build(op, e.target.value)}>
            <option value="">Choose…</option>
            {(def.type === 'checkbox' ? ['true', 'false'] : def.options).map((o) => <option key={o} value={o}>{o === 'true' ? 'Checked' : o === 'false' ? 'Unchecked' : o}</option>)}
          </select>
        </>
      ) : (
        <>
          <label className="sr-only" htmlFor={`cf-val-${key}`}>Value of {def.label}</label>
          <input id={`cf-val-${key}`} type={inputType} value={value} onChange={(e) => build(op, e.target.value)} />
        </>
      ))}
      <button type="button" className="icon-button" aria-label={`Remove the ${def.label} condition`} onClick={() => onChange(null, '')}>×</button>
    </div>
  );
}
