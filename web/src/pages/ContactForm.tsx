// The contact editor (used by "Add contact" and by the drawer's edit mode) and the add
// dialog with its duplicate-phone handling.
import { useState, type FormEvent } from 'react';
import { api, ApiError, fullName, type Contact, type FieldDef } from '../api';
import { useMe } from '../auth';
import { Dialog } from '../components/Dialog';
import { TagInput } from '../components/TagInput';
import { FieldRow, errorText, useToast } from '../components/ui';
import { useDepartments, useFields, useGroups, useTags } from '../hooks';

export interface Draft {
  first_name: string; last_name: string; phone: string; email: string; company: string;
  street: string; city: string; state: string; zip: string; country: string; notes: string;
  department: string; tags: string[]; groups: string[];
  custom_fields: Record<string, string | boolean>;
  do_not_call: boolean; consent: string;
}

export function draftFrom(c?: Contact): Draft {
  const cf: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(c?.custom_fields ?? {})) cf[k] = typeof v === 'boolean' ? v : String(v);
  return {
    first_name: c?.first_name ?? '', last_name: c?.last_name ?? '', phone: c?.phone ?? '', email: c?.email ?? '',
    company: c?.company ?? '', street: c?.street ?? '', city: c?.city ?? '', state: c?.state ?? '', zip: c?.zip ?? '',
    country: c?.country ?? '', notes: c?.notes ?? '', department: c?.department ?? '', tags: c?.tags ?? [],
    groups: c?.groups ?? [], custom_fields: cf, do_not_call: c?.do_not_call ?? false, consent: c?.consent.status ?? 'unknown',
  };
}

// The request body for a draft: on update only what changed.
export function bodyFrom(d: Draft, fields: FieldDef[], base?: Draft): Record<string, unknown> {
  const cf: Record<string, unknown> = {};
  for (const f of fields) {
    const v = d.custom_fields[f.key];
    const was = base?.custom_fields[f.key];
    if (base && v === was) continue;
    if (v === undefined || v === '') { if (base && was !== undefined && was !== '') cf[f.key] = null; continue; }
    if (f.type === 'checkbox') cf[f.key] = Boolean(v);
    else if (f.type === 'integer' && /^-?\d+$/.test(String(v))) cf[f.key] = Number(v);
    else if (f.type === 'decimal' && /^-?\d+(\.\d+)?$/.test(String(v))) cf[f.key] = Number(v);
    else cf[f.key] = v;
  }
  const all: Record<string, unknown> = {
    first_name: d.first_name, last_name: d.last_name, phone: d.phone, email: d.email, company: d.company,
    street: d.street, city: d.city, state: d.state, zip: d.zip, country: d.country, notes: d.notes,
    department: d.department, tags: d.tags, groups: d.groups, do_not_call: d.do_not_call,
    consent: { status: d.consent },
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) {
    const b = base as unknown as Record<string, unknown> | undefined;
    if (k === 'consent') { if (!base || base.consent !== d.consent) out[k] = v; continue; }
    if (!base || JSON.stringify(b?.[k]) !== JSON.stringify(v)) out[k] = v;
  }
  if (Object.keys(cf).length) out.custom_fields = cf;
  if (!base) for (const k of Object.keys(out)) if (out[k] === '' || (Array.isArray(out[k]) && !(out[k] as unknown[]).length)) delete out[k];
  return out;
}

export function ContactEditor({ draft, onChange, errors, idPrefix }: {
  draft: Draft; onChange: (d: Draft) => void; errors: Record<string, string>; idPrefix: string;
}) {
  const me = useMe();
  const tags = useTags();
  const groups = useGroups();
  const departments = useDepartments();
  const fields = useFields();
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => onChange({ ...draft, [k]: v });
  const text = (k: keyof Draft, label: string, type = 'text', hint?: string) => (
    <FieldRow label={label} htmlFor={`${idPrefix}-${k}`} error={errors[k]} hint={hint}>
      <input id={`${idPrefix}-${k}`} type={type} value={draft[k] as string} aria-invalid={!!errors[k]}
        aria-describedby={errors[k] ? `${idPrefix}-${k}-error` : undefined}
        onChange={(e) => set(k, e.target.value as Draft[typeof k])} />
    </FieldRow>
  );
  const colors = Object.fromEntries((tags.data ?? []).map((t) => [t.label.toLowerCase(), t.color]));
  return (
    <div className="editor">
      <div className="form-grid">
        {text('first_name', 'First name')}
        {text('last_name', 'Last name')}
        {text('phone', 'Phone', 'tel', `Any format; numbers without + are read as ${me.workspace.default_country} numbers`)}
        {text('email', 'Email', 'email')}
        {text('company', 'Company')}
        <FieldRow label="Department" htmlFor={`${idPrefix}-department`} error={errors.department}>
          <select id={`${idPrefix}-department`} value={draft.department} disabled={!!me.department}
            onChange={(e) => set('department', e.target.value)}>
            <option value="">None</option>
            {(departments.data ?? []).map((d) => <option key={d.id} value={d.name}>{d.name}</option>)}
          </select>
        </FieldRow>
      </div>
      <fieldset className="fieldset">
        <legend>Address</legend>
        <div className="form-grid">
          {text('street', 'Street')}
          {text('city', 'City')}
          {text('state', 'State / region')}
          {text('zip', 'ZIP / postcode')}
          {text('country', 'Country')}
        </div>
      </fieldset>
      <div className="form-grid">
        <div>
          <TagInput label="Tags" value={draft.tags} onChange={(v) => set('tags', v)} suggestions={(tags.data ?? []).map((t) => t.label)} colors={colors} placeholder="Add a tag…" />
          {errors.tags && <div className="field-error" role="alert">{errors.tags}</div>}
        </div>
        <div>
          <TagInput label="Groups" value={draft.groups} onChange={(v) => set('groups', v)} suggestions={(groups.data ?? []).map((g) => g.name)} placeholder="Add to a group…" />
          {errors.groups && <div className="field-error" role="alert">{errors.groups}</div>}
        </div>
      </div>
      {(fields.data ?? []).length > 0 && (
        <fieldset className="fieldset">
          <legend>Custom fields</legend>
          <div className="form-grid">
            {(fields.data ?? []).map((f) => <CustomFieldInput key={f.key} def={f} idPrefix={idPrefix}
              value={draft.custom_fields[f.key]} error={errors[`custom_fields.${f.key}`]}
              onChange={(v) => set('custom_fields', { ...draft.custom_fields, [f.key]: v })} />)}
          </div>
        </fieldset>
      )}
      <div className="form-grid">
        <FieldRow label="Consent to be contacted" htmlFor={`${idPrefix}-consent`} error={errors['consent.status']}>
          <select id={`${idPrefix}-consent`} value={draft.consent} onChange={(e) => set('consent', e.target.value)}>
            <option value="unknown">Unknown</option>
            <option value="granted">Granted</option>
            <option value="revoked">Revoked (opted out)</option>
          </select>
        </FieldRow>
        <div className="field checkbox-field">
          <input id={`${idPrefix}-dnc`} type="checkbox" checked={draft.do_not_call} onChange={(e) => set('do_not_call', e.target.checked)} />
          <label htmlFor={`${idPrefix}-dnc`}>Do not call</label>
        </div>
      </div>
      <FieldRow label="Notes" htmlFor={`${idPrefix}-notes`} error={errors.notes}>
        <textarea id={`${idPrefix}-notes`} rows={3} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />
      </FieldRow>
    </div>
  );
}

function CustomFieldInput({ def, value, onChange, error, idPrefix }: {
  def: FieldDef; value: string | boolean | undefined; onChange: (v: string | boolean) => void; error?: string; idPrefix: string;
}) {
  const id = `${idPrefix}-cf-${def.key}`;
  const label = def.required ? `${def.label} (required)` : def.label;
  if (def.type === 'checkbox')
    return (
      <div className="field checkbox-field">
        <input id={id} type="checkbox" checked={value === true || value === 'true'} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={id}>{def.label}</label>
        {error && <div className="field-error" role="alert">{error}</div>}
      </div>
    );
  const v = value === undefined ? '' : String(value);
  return (
    <FieldRow label={label} htmlFor={id} error={error}>
      {def.type === 'dropdown' ? (
        <select id={id} value={v} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error}>
          <option value="">—</option>
          {def.options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      ) : def.type === 'long_text' ? (
        <textarea id={id} rows={2} value={v} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} />
      ) : (
        <input id={id} value={v} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error}
          type={def.type === 'date' ? 'date' : def.type === 'integer' || def.type === 'decimal' ? 'number' : 'text'}
          step={def.type === 'decimal' ? 'any' : undefined} />
      )}
    </FieldRow>
  );
}

// Shows an API error where it happened: next to its field (details.field, e.g.
// "custom_fields.age") when it names one, else for the whole form.
export function showError(e: unknown, setErrors: (f: Record<string, string>) => void, setError: (m: string | null) => void) {
  if (e instanceof ApiError && e.field) {
    setErrors({ [e.field.replace(/\[\d+\]$/, '')]: e.message });
    setError(null);
  } else {
    setErrors({});
    setError(errorText(e));
  }
}

export function ContactFormDialog({ onClose, onCreated, onOpenExisting }: {
  onClose: () => void; onCreated: (c: Contact) => void; onOpenExisting: (id: number) => void;
}) {
  const toast = useToast();
  const fields = useFields();
  const [draft, setDraft] = useState<Draft>(draftFrom());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [existing, setExisting] = useState<Contact | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    setExisting(null);
    try {
      const c = await api.post<Contact>('/api/v1/contacts', bodyFrom(draft, fields.data ?? []));
      toast(`Added ${fullName(c) || c.phone_formatted}`);
      onCreated(c);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'already_exists' && err.details.existing) {
        setExisting(err.details.existing as Contact);
      } else {
        showError(err, setErrors, setError);
      }
    } finally {
      setBusy(false);
    }
  };
  const updateExisting = async () => {
    if (!existing) return;
    setBusy(true);
    try {
      const body = bodyFrom(draft, fields.data ?? []);
      delete body.phone;
      // Only fill in what was typed; tags and groups are added to the existing ones.
      if (Array.isArray(body.tags)) body.tags = [...new Set([...existing.tags, ...(body.tags as string[])])];
      if (Array.isArray(body.groups)) body.groups = [...new Set([...existing.groups, ...(body.groups as string[])])];
      await api.patch<Contact>(`/api/v1/contacts/${existing.id}`, body, { 'If-Match': `"${existing.version}"` });
      toast(`Updated ${fullName(existing) || existing.phone_formatted}`);
      onOpenExisting(existing.id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Add contact" open onClose={onClose} wide footer={
      <>
        <button type="button" className="button" onClick={onClose}>Cancel</button>
        <button type="submit" form="add-contact-form" className="button primary" disabled={busy}>{busy ? 'Saving…' : 'Add contact'}</button>
      </>
    }>
      <form id="add-contact-form" onSubmit={submit} noValidate>
        {existing && (
          <div className="banner banner-warn" role="alert">
            <p><strong>{existing.phone_formatted}</strong> already belongs to <strong>{fullName(existing) || 'a contact without a name'}</strong>.</p>
            <div className="banner-actions">
              <button type="button" className="button small" onClick={() => onOpenExisting(existing.id)}>Open the existing contact</button>
              <button type="button" className="button small primary" onClick={updateExisting} disabled={busy}>Update it with these details</button>
            </div>
          </div>
        )}
        {error && <p className="form-error" role="alert">{error}</p>}
        <ContactEditor draft={draft} onChange={setDraft} errors={errors} idPrefix="new" />
      </form>
    </Dialog>
  );
}
