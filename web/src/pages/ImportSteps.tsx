// Steps of the import wizard (ImportWizard.tsx) in pieces of their own: the upload panel (a
// file dropped or chosen, or a Google Sheets link), the mapping table (what each column of the
// file becomes), the tags and duplicates options, and the destination.
import { useState, type DragEvent } from 'react';
import type { FieldDef, FieldType } from '../api';
import { TagInput } from '../components/TagInput';
import { FieldRow, Spinner } from '../components/ui';
import { autoTagName, duplicateLabels, standardTargets, type DialMode, type ImportColumn, type ImportOptions,
  type OnDuplicate } from '../imports';
import { fieldTypes, keyFrom } from './Fields';
import { colLabel } from './ImportReview';
import { countries } from './Workspace';

// The server answers auto_tag with the tag it resolved ("Imported-2026-11"), or "" when off.
export const autoTagOn = (o: ImportOptions) => o.auto_tag === true || (typeof o.auto_tag === 'string' && o.auto_tag !== '');

const ACCEPT = '.csv,.tsv,.txt,.xlsx,.vcf,.vcard';

// A column's choice in the mapping step: a field ("phone", "cf.KEY"), "ignore", or "__new"
// with the new custom field's key, label and type.
export interface Col { choice: string; key: string; label: string; type: FieldType }

function suggestionText(reason: string): string {
  if (!reason) return '';
  if (reason === 'header') return 'from the header';
  if (reason === 'saved mapping') return 'from a saved mapping';
  if (reason.startsWith('saved mapping ')) return `from the saved mapping “${reason.slice(14).trim()}”`;
  if (reason.startsWith('data:')) return `from the data: ${reason.slice(5).trim()}`;
  return reason;
}

export function UploadPanel({ busy, error, sheetUrl, onSheetUrl, sheetError, onFile, onSheet }: {
  busy: string | null;
  error: string | null;
  sheetUrl: string;
  onSheetUrl: (url: string) => void;
  sheetError?: string;
  onFile: (f: File) => void;
  onSheet: () => void;
}) {
  const [dragging, setDragging] = useState(false);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files?.[0];
    if (f) onFile(f);
  };
  return (
    <>
      <div className={dragging ? 'dropzone dragging' : 'dropzone'} role="group" aria-label="Upload a file"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
        <div className="dropzone-art" aria-hidden="true">⇪</div>
        <p className="dropzone-title">Drag and drop a file here</p>
        <input id="import-file" type="file" accept={ACCEPT} className="file-input" disabled={!!busy}
          aria-describedby="import-file-hint"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) onFile(f); }} />
        <label htmlFor="import-file" className="button primary file-label">{busy === 'upload' ? 'Uploading…' : 'Choose a file'}</label>
        <p id="import-file-hint" className="hint">CSV, TSV, TXT, XLSX or vCard (.vcf), up to 50 MB. The first row must hold the column names.</p>
        {busy === 'upload' && <Spinner label="Reading the file…" />}
        {error && <p className="form-error" role="alert">{error}</p>}
      </div>
      <div className="or-line"><span>or</span></div>
      <form className="sheet-form" onSubmit={(e) => { e.preventDefault(); onSheet(); }}>
        <FieldRow label="Google Sheets link" htmlFor="sheet-url" error={sheetError}
          hint="A sheet shared with “anyone with the link”. The tab in the link is imported.">
          <div className="inline-form">
            <input id="sheet-url" type="url" placeholder="https://docs.google.com/spreadsheets/d/…/edit#gid=0" value={sheetUrl}
              onChange={(e) => onSheetUrl(e.target.value)} aria-invalid={!!sheetError} />
            <button type="submit" className="button" disabled={!!busy}>{busy === 'sheet' ? 'Fetching…' : 'Import sheet'}</button>
          </div>
        </FieldRow>
      </form>
      <p className="templates">
        Starting from scratch? Download a template with the standard columns and your custom fields:{' '}
        <a href="/api/v1/imports/template.csv" download>template.csv</a>{' · '}
        <a href="/api/v1/imports/template.xlsx" download>template.xlsx</a>
      </p>
    </>
  );
}

export function MapTable({ columns, cols, errFor, cfOptions, canCreateFields, onChoice, onCol }: {
  columns: ImportColumn[];
  cols: Col[];
  errFor: (...names: string[]) => string | undefined;
  cfOptions: FieldDef[];
  canCreateFields: boolean;
  onChoice: (i: number, choice: string) => void;
  onCol: (i: number, patch: Partial<Col>) => void;
}) {
  return (
    <table className="simple-table map-table">
      <thead><tr><th scope="col">Column in the file</th><th scope="col">Sample values</th><th scope="col">Import as</th></tr></thead>
      <tbody>
        {columns.map((c, i) => {
          const col = cols[i];
          if (!col) return null;
          const name = colLabel(c.header, i);
          const err = errFor(`columns[${i}]`);
          const sugg = c.suggested_field;
          const known = col.choice === 'ignore' || col.choice === '__new' || standardTargets.some((t) => t.value === col.choice)
            || cfOptions.some((f) => `cf.${f.key}` === col.choice);
          const suggLabel = sugg ? standardTargets.find((t) => t.value === sugg)?.label ?? cfOptions.find((f) => `cf.${f.key}` === sugg)?.label ?? sugg : '';
          return (
            <tr key={c.index} className={col.choice === 'ignore' ? 'ignored' : undefined}>
              <th scope="row" className="map-header">
                <span className="map-header-in"><span className="col-letter" aria-hidden="true">{i + 1}</span>{name}</span>
              </th>
              <td className="map-samples">
                {c.sample.length === 0 && <span className="muted">no values</span>}
                {c.sample.slice(0, 3).map((v, k) => <span key={k} className="sample">{v === '' ? <em className="muted">empty</em> : v}</span>)}
              </td>
              <td className={err ? 'map-target has-error' : 'map-target'}>
                <label htmlFor={`map-${i}`} className="sr-only">Field for column {name}</label>
                <select id={`map-${i}`} value={col.choice} onChange={(e) => onChoice(i, e.target.value)}
                  aria-invalid={!!err} aria-describedby={`map-${i}-hint${err ? ` map-${i}-error` : ''}`}>
                  <option value="ignore">Ignore this column</option>
                  <optgroup label="Contact fields">
                    {standardTargets.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
                  </optgroup>
                  {cfOptions.length > 0 && (
                    <optgroup label="Custom fields">
                      {cfOptions.map((f) => <option key={f.key} value={`cf.${f.key}`}>{f.label}</option>)}
                    </optgroup>
                  )}
                  {!known && <option value={col.choice}>{col.choice}</option>}
                  {canCreateFields && <option value="__new">New custom field…</option>}
                </select>
                <div className="hint" id={`map-${i}-hint`}>
                  {sugg && col.choice === sugg ? `Suggested ${suggestionText(c.reason)}`
                    : sugg ? `Suggested: ${suggLabel}${c.reason ? ` (${suggestionText(c.reason)})` : ''}`
                      : c.reason ? suggestionText(c.reason) : ''}
                </div>
                {col.choice === '__new' && (
                  <div className="new-field">
                    <div className={errFor(`columns[${i}].new_field.label`) ? 'field has-error' : 'field'}>
                      <label htmlFor={`nf-label-${i}`}>Label</label>
                      <input id={`nf-label-${i}`} aria-label={`New field label for column ${name}`} value={col.label}
                        onChange={(e) => onCol(i, { label: e.target.value, key: col.key === keyFrom(col.label) ? keyFrom(e.target.value) : col.key })} />
                    </div>
                    <div className={errFor(`columns[${i}].new_field.key`) ? 'field has-error' : 'field'}>
                      <label htmlFor={`nf-key-${i}`}>Key</label>
                      <input id={`nf-key-${i}`} aria-label={`New field key for column ${name}`} className="mono" value={col.key}
                        onChange={(e) => onCol(i, { key: e.target.value })} />
                    </div>
                    <div className="field">
                      <label htmlFor={`nf-type-${i}`}>Type</label>
                      <select id={`nf-type-${i}`} aria-label={`New field type for column ${name}`} value={col.type}
                        onChange={(e) => onCol(i, { type: e.target.value as FieldType })}>
                        {fieldTypes.filter((t) => t.value !== 'dropdown').map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
                      </select>
                    </div>
                  </div>
                )}
                {err && <div className="field-error" id={`map-${i}-error`} role="alert">{err}</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function TagsAndDuplicates({ options, onOptions, tagLabels, tagColors, errFor }: {
  options: ImportOptions;
  onOptions: (patch: Partial<ImportOptions>) => void;
  tagLabels: string[];
  tagColors: Record<string, string>;
  errFor: (...names: string[]) => string | undefined;
}) {
  return (
    <div className="two-col">
      <div>
        <TagInput label="Tags for every imported contact" value={options.tags} suggestions={tagLabels} colors={tagColors}
          placeholder="Type a tag and press Enter" onChange={(v) => onOptions({ tags: v })} />
        {errFor('tags') && <p className="field-error" role="alert">{errFor('tags')}</p>}
        <div className="checkbox-line">
          <input id="auto-tag" type="checkbox" checked={autoTagOn(options)}
            onChange={(e) => onOptions({ auto_tag: e.target.checked })} />
          <label htmlFor="auto-tag">Also tag them <span className="chip">{typeof options.auto_tag === 'string' && options.auto_tag ? options.auto_tag : autoTagName()}</span></label>
        </div>
        {errFor('auto_tag') && <p className="field-error" role="alert">{errFor('auto_tag')}</p>}
        <FieldRow label="Country for numbers without a country code" htmlFor="import-country" error={errFor('default_country')}
          hint="Numbers written without + are read as numbers of this country.">
          <select id="import-country" value={options.default_country}
            onChange={(e) => onOptions({ default_country: e.target.value })}>
            {countries.map(([code, n]) => <option key={code} value={code}>{n} ({code})</option>)}
            {!countries.some(([c]) => c === options.default_country) && <option value={options.default_country}>{options.default_country}</option>}
          </select>
        </FieldRow>
      </div>
      <fieldset className={errFor('on_duplicate') ? 'fieldset radio-cards has-error' : 'fieldset radio-cards'}>
        <legend>When a contact already exists</legend>
        <p className="hint">Matched by phone, then by email. The same phone twice in the file: the first row wins.</p>
        {(Object.keys(duplicateLabels) as OnDuplicate[]).map((k) => (
          <div key={k} className={options.on_duplicate === k ? 'radio-card on' : 'radio-card'}>
            <input type="radio" id={`dup-${k}`} name="on-duplicate" value={k} checked={options.on_duplicate === k}
              aria-describedby={`dup-${k}-hint`} onChange={() => onOptions({ on_duplicate: k })} />
            <div>
              <label htmlFor={`dup-${k}`}>{duplicateLabels[k].label}</label>
              <div className="hint" id={`dup-${k}-hint`}>{duplicateLabels[k].hint}</div>
            </div>
          </div>
        ))}
        {errFor('on_duplicate') && <p className="field-error" role="alert">{errFor('on_duplicate')}</p>}
      </fieldset>
    </div>
  );
}

export function DestinationOptions({ listOn, onListOn, listName, onListName, dialMode, onDialMode, errFor }: {
  listOn: boolean;
  onListOn: (on: boolean) => void;
  listName: string;
  onListName: (name: string) => void;
  dialMode: DialMode;
  onDialMode: (mode: DialMode) => void;
  errFor: (...names: string[]) => string | undefined;
}) {
  return (
    <>
      <fieldset className="fieldset radio-cards">
        <legend>Where do the contacts go?</legend>
        <div className={!listOn ? 'radio-card on' : 'radio-card'}>
          <input type="radio" id="dest-contacts" name="destination" checked={!listOn} onChange={() => onListOn(false)} />
          <div><label htmlFor="dest-contacts">Contacts only</label></div>
        </div>
        <div className={listOn ? 'radio-card on' : 'radio-card'}>
          <input type="radio" id="dest-list" name="destination" checked={listOn} aria-describedby="dest-list-hint"
            onChange={() => onListOn(true)} />
          <div>
            <label htmlFor="dest-list">Contacts and a new dial list</label>
            <div className="hint" id="dest-list-hint">Do-not-call and non-consenting contacts never join a list; each number appears once.</div>
          </div>
        </div>
      </fieldset>
      {listOn && (
        <div className="list-options">
          <FieldRow label="Dial list name" htmlFor="list-name" error={errFor('list.name', 'list')}>
            <input id="list-name" value={listName} onChange={(e) => onListName(e.target.value)} />
          </FieldRow>
          <fieldset className="fieldset inline-radios">
            <legend>Dial mode</legend>
            <label><input type="radio" name="dial-mode" checked={dialMode === 'ai'} onChange={() => onDialMode('ai')} /> AI voice agent</label>
            <label><input type="radio" name="dial-mode" checked={dialMode === 'manual'} onChange={() => onDialMode('manual')} /> Manual dialing</label>
            {errFor('list.dial_mode') && <p className="field-error" role="alert">{errFor('list.dial_mode')}</p>}
          </fieldset>
        </div>
      )}
    </>
  );
}
