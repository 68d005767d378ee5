// The import wizard (SPEC S6, S12.2): upload → map → review → consent → tags & duplicates →
// destination → progress → summary. Nothing is written before "Start import": the mapping and
// options live in a draft import on the server (PUT /imports/{id}/mapping), and the review is
// computed from them; changing anything re-sends them and the review follows.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api';
import { useMe } from '../auth';
import { ErrorBanner, FieldRow, Spinner, errorText, useToast } from '../components/ui';
import { useFields, useTags } from '../hooks';
import { Link, useRouter } from '../router';
import {
  autoTagName, baseName, importPath, useLiveImport,
  type DialMode, type ImportJob, type ImportMapping, type ImportOptions, type ImportRow, type Review, type RowStatus,
  type SavedMapping,
} from '../imports';
import { keyFrom } from './Fields';
import { DestinationOptions, MapTable, TagsAndDuplicates, UploadPanel, autoTagOn, type Col } from './ImportSteps';
import { ImportProgress, ImportSummaryPanel } from './ImportParts';
import { PAGE, ReviewBody, colLabel } from './ImportReview';

type Step = 'upload' | 'map' | 'review' | 'consent' | 'tags' | 'destination' | 'progress' | 'summary';
const STEPS: { id: Step; label: string }[] = [
  { id: 'upload', label: 'Upload' },
  { id: 'map', label: 'Map columns' },
  { id: 'review', label: 'Review' },
  { id: 'consent', label: 'Consent' },
  { id: 'tags', label: 'Tags & duplicates' },
  { id: 'destination', label: 'Destination' },
  { id: 'progress', label: 'Progress' },
  { id: 'summary', label: 'Summary' },
];
const order = (s: Step) => STEPS.findIndex((x) => x.id === s);

const ACCEPTED = /\.(csv|tsv|txt|xlsx|vcf|vcard)$/i;
const KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;

// Where an error's details.field is shown ("options." is dropped: "options.tags" → "tags").
function normField(f: string): string {
  return f.replace(/^options\./, '');
}
function stepOfField(f: string): Step | null {
  if (/^columns\b/.test(f) || f === 'consent_column' || f === 'save_as') return 'map';
  if (f === 'strict') return 'review';
  if (f === 'consent_attested') return 'consent';
  if (/^list\b/.test(f)) return 'destination';
  if (['tags', 'auto_tag', 'on_duplicate', 'default_country'].includes(f.replace(/\[.*$/, ''))) return 'tags';
  return null;
}

// Fields with a control of their own on their step; any other field's error is shown by the
// step's buttons.
const SHOWN = [/^columns\[\d+\]/, /^consent_column$/, /^save_as$/, /^strict$/, /^consent_attested$/, /^list(\.|$)/,
  /^(tags|auto_tag|on_duplicate|default_country)(\[|$)/];


function defaultOptions(country: string): ImportOptions {
  return { on_duplicate: 'skip', tags: [], auto_tag: true, strict: false, default_country: country || 'US', list: null };
}

export function ImportWizard({ routeId }: { routeId: number | null }) {
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const { navigate } = useRouter();
  const fields = useFields();
  const tags = useTags();
  const mappings = useQuery({
    queryKey: ['import-mappings'],
    queryFn: () => api.get<{ items: SavedMapping[] }>('/api/v1/imports/mappings').then((r) => r.items),
  });

  const [step, setStep] = useState<Step>('upload');
  const [reached, setReached] = useState<Step>('upload');
  const [imp, setImp] = useState<ImportJob | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [cols, setCols] = useState<Col[]>([]);
  const [consentColumn, setConsentColumn] = useState<number | null>(null);
  const [options, setOptions] = useState<ImportOptions>(defaultOptions(me.workspace.default_country));
  const [listOn, setListOn] = useState(false);
  const [listName, setListName] = useState('');
  const [dialMode, setDialMode] = useState<DialMode>('ai');
  const [saveAs, setSaveAs] = useState('');
  const [attested, setAttested] = useState(false);
  const [dirty, setDirty] = useState(true);
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [stepErrors, setStepErrors] = useState<Partial<Record<Step, string>>>({});
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [sheetUrl, setSheetUrl] = useState('');
  const [savedPick, setSavedPick] = useState('');
  const [rowStatus, setRowStatus] = useState<RowStatus | ''>('');
  const [offset, setOffset] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const id = imp?.id ?? null;
  const running = imp !== null && imp.status !== 'draft';

  // ---- state from an import ------------------------------------------------------------
  const adopt = (j: ImportJob) => {
    setImp(j);
    const m = j.mapping;
    const next: Col[] = j.columns.map((c, i) => {
      const base: Col = { choice: 'ignore', key: keyFrom(colLabel(c.header, i)), label: colLabel(c.header, i), type: 'text' };
      const mc = m?.columns.find((x) => x.index === c.index);
      if (m) {
        if (mc?.new_field) return { ...base, choice: '__new', ...mc.new_field };
        if (mc?.field) return { ...base, choice: mc.field };
        return base;
      }
      return c.suggested_field ? { ...base, choice: c.suggested_field } : base;
    });
    let consent: number | null = null;
    if (m) consent = m.consent_column ?? null;
    else consent = j.columns.findIndex((c) => c.suggested_field === 'consent');
    if (consent !== null && consent >= 0 && next[consent]) next[consent] = { ...next[consent], choice: 'consent' };
    else consent = null;
    setCols(next);
    setConsentColumn(consent);
    if (m?.options) {
      const o = { ...defaultOptions(me.workspace.default_country), ...m.options };
      setOptions({ ...o, tags: o.tags ?? [] });
      setListOn(!!o.list);
      setListName(o.list?.name ?? baseName(j.file_name));
      setDialMode(o.list?.dial_mode ?? 'ai');
    } else {
      setOptions(defaultOptions(me.workspace.default_country));
      setListOn(false);
      setListName(baseName(j.file_name));
      setDialMode('ai');
    }
    setDirty(!m);
    if (m) setVersion((v) => v + 1);
    const s: Step = j.status === 'draft' ? 'map' : j.status === 'running' ? 'progress' : 'summary';
    setStep(s);
    setReached(j.status === 'draft' && m ? 'destination' : s);
  };

  const reset = () => {
    setImp(null);
    setCols([]);
    setConsentColumn(null);
    setOptions(defaultOptions(me.workspace.default_country));
    setListOn(false);
    setSaveAs('');
    setAttested(false);
    setDirty(true);
    setFieldErrors({});
    setStepErrors({});
    setUploadError(null);
    setSheetUrl('');
    setStep('upload');
    setReached('upload');
  };

  // Continuing a draft (or following a started import) by its address.
  useEffect(() => {
    if (routeId === null) {
      if (imp) reset();
      return;
    }
    if (imp?.id === routeId) return;
    let gone = false;
    setLoadError(null);
    api.get<ImportJob>(importPath(routeId)).then((j) => { if (!gone) adopt(j); }, (e) => { if (!gone) setLoadError(e); });
    return () => { gone = true; };
  }, [routeId]);

  // Each new step moves the focus to its heading (not on the first render).
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) firstStep.current = false;
    else headingRef.current?.focus();
  }, [step]);

  // ---- errors ---------------------------------------------------------------------------
  const errFor = (...names: string[]): string | undefined => {
    for (const [k, v] of Object.entries(fieldErrors)) {
      for (const n of names) if (k === n || k.startsWith(`${n}.`) || k.startsWith(`${n}[`)) return v;
    }
    return undefined;
  };
  // Shows an API error next to what it is about, on the step that holds it.
  const showError = (e: unknown, fallback: Step) => {
    if (e instanceof ApiError && e.field) {
      const f = normField(e.field);
      const target = stepOfField(f);
      if (target) {
        const shown = SHOWN.some((re) => re.test(f)) && !(f.startsWith('list') && !listOn);
        setFieldErrors(shown ? { [f]: e.message } : {});
        setStepErrors(shown ? {} : { [target]: e.message });
        setStep(target);
        return;
      }
      setFieldErrors({});
      setStepErrors({ [fallback]: `${e.message} (${e.field})` });
      setStep(fallback);
      return;
    }
    setFieldErrors({});
    setStepErrors({ [fallback]: errorText(e) });
    setStep(fallback);
  };
  const clearErrors = () => {
    setFieldErrors({});
    setStepErrors({});
  };

  // ---- the mapping PUT ------------------------------------------------------------------
  const body = (over: { cols?: Col[]; options?: ImportOptions; consentColumn?: number | null } = {}): ImportMapping => {
    const cs = over.cols ?? cols;
    const o = over.options ?? options;
    const cc = over.consentColumn !== undefined ? over.consentColumn : consentColumn;
    const out: ImportMapping = {
      columns: cs.map((c, i) => {
        const index = imp?.columns[i]?.index ?? i;
        if (c.choice === 'ignore' || c.choice === '') return { index, ignore: true };
        if (c.choice === '__new') return { index, new_field: { key: c.key.trim(), label: c.label.trim(), type: c.type } };
        return { index, field: c.choice };
      }),
      consent_column: cc !== null ? imp?.columns[cc]?.index ?? cc : null,
      options: { ...o, list: listOn ? { name: listName.trim(), dial_mode: dialMode } : null },
    };
    if (saveAs.trim()) out.save_as = saveAs.trim();
    return out;
  };
  const save = async (fallback: Step, over: Parameters<typeof body>[0] = {}): Promise<boolean> => {
    if (!imp) return false;
    setBusy('save');
    try {
      const b = body(over);
      const j = await api.put<ImportJob>(importPath(imp.id, '/mapping'), b);
      setImp(j);
      setVersion((v) => v + 1);
      setDirty(false);
      clearErrors();
      if (b.save_as) {
        toast(`Mapping saved as “${b.save_as}”`);
        setSaveAs('');
        qc.invalidateQueries({ queryKey: ['import-mappings'] });
      }
      return true;
    } catch (e) {
      showError(e, fallback);
      return false;
    } finally {
      setBusy(null);
    }
  };
  const touch = () => setDirty(true);

  const go = async (to: Step) => {
    if (running) return;
    clearErrors();
    // The review and everything after it need the current mapping on the server.
    if (order(to) >= order('review') && dirty && !(await save(step === 'upload' ? 'map' : step))) return;
    setStep(to);
    if (order(to) > order(reached)) setReached(to);
  };

  // ---- review ---------------------------------------------------------------------------
  const reviewNeeded = id !== null && version > 0 && !dirty && !starting && imp?.status === 'draft'
    && ['review', 'consent', 'destination'].includes(step);
  const review = useQuery({
    queryKey: ['import-review', id, version],
    queryFn: () => api.get<Review>(importPath(id!, '/review')),
    enabled: reviewNeeded,
    staleTime: Infinity,
  });
  const rows = useQuery({
    queryKey: ['import-rows', id, version, rowStatus, offset],
    queryFn: () => api.get<{ items: ImportRow[]; total: number }>(
      `${importPath(id!, '/rows')}?offset=${offset}&limit=${PAGE}${rowStatus ? `&status=${rowStatus}` : ''}`),
    enabled: step === 'review' && id !== null && version > 0 && !dirty,
    placeholderData: (prev) => prev,
    staleTime: Infinity,
  });

  // ---- progress -------------------------------------------------------------------------
  const live = useLiveImport(id, null, step === 'progress');
  useEffect(() => {
    const j = live.imp;
    if (!j || j.id !== id) return;
    setImp(j);
    if (j.status !== 'running' && j.status !== 'draft' && step === 'progress') {
      setStep('summary');
      setReached('summary');
      for (const k of ['contacts', 'tags', 'imports']) qc.invalidateQueries({ queryKey: [k] });
    }
  }, [live.imp]);

  // ---- actions --------------------------------------------------------------------------
  const upload = async (file: File) => {
    setUploadError(null);
    if (!ACCEPTED.test(file.name)) {
      setUploadError(`“${file.name}” is not a file Dialbook can read. Use CSV, TSV, TXT, XLSX or vCard (.vcf).`);
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    setBusy('upload');
    try {
      const j = await api.upload<ImportJob>('/api/v1/imports', form);
      adopt(j);
      navigate(`/imports/${j.id}/continue`, { replace: true });
    } catch (e) {
      setUploadError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const uploadSheet = async () => {
    setFieldErrors({});
    if (!sheetUrl.trim()) {
      setFieldErrors({ sheet_url: 'Paste the link of a Google Sheet shared with “anyone with the link”.' });
      return;
    }
    setBusy('sheet');
    try {
      const j = await api.post<ImportJob>('/api/v1/imports', { sheet_url: sheetUrl.trim() });
      adopt(j);
      navigate(`/imports/${j.id}/continue`, { replace: true });
    } catch (e) {
      setFieldErrors({ sheet_url: errorText(e) });
    } finally {
      setBusy(null);
    }
  };
  const discard = async () => {
    if (!imp) return;
    setBusy('discard');
    try {
      await api.del(importPath(imp.id));
      qc.invalidateQueries({ queryKey: ['imports'] });
      navigate('/imports/new', { replace: true });
      reset();
    } catch (e) {
      setUploadError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const setChoice = (i: number, choice: string) => {
    touch();
    setFieldErrors((fe) => Object.fromEntries(Object.entries(fe).filter(([k]) => !k.startsWith(`columns[${i}]`))));
    setCols((cs) => cs.map((c, j) => {
      if (j === i) return { ...c, choice };
      if (choice === 'consent' && c.choice === 'consent') return { ...c, choice: 'ignore' };
      return c;
    }));
    if (choice === 'consent') setConsentColumn(i);
    else if (consentColumn === i) setConsentColumn(null);
  };
  const setCol = (i: number, patch: Partial<Col>) => {
    touch();
    setCols((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  };
  const pickConsent = (v: string) => {
    touch();
    const next = v === '' ? null : Number(v);
    setCols((cs) => cs.map((c, j) => {
      if (j === next) return { ...c, choice: 'consent' };
      if (c.choice === 'consent') return { ...c, choice: 'ignore' };
      return c;
    }));
    setConsentColumn(next);
  };
  const applySaved = () => {
    const m = (mappings.data ?? []).find((x) => String(x.id) === savedPick);
    if (!m || !imp) return;
    touch();
    const byHeader = new Map(m.columns.map((c) => [c.header.trim().toLowerCase(), c.field]));
    let consent: number | null = null;
    const next = cols.map((c, i) => {
      const f = byHeader.get((imp.columns[i]?.header ?? '').trim().toLowerCase());
      if (f === undefined) return c;
      const choice = !f || f === 'ignore' ? 'ignore' : f;
      if (choice === 'consent') consent = i;
      return { ...c, choice };
    });
    setCols(next);
    setConsentColumn(consent);
    toast(`Applied the mapping “${m.name}”`);
  };
  const deleteSaved = async () => {
    const m = (mappings.data ?? []).find((x) => String(x.id) === savedPick);
    if (!m) return;
    try {
      await api.del(`/api/v1/imports/mappings/${m.id}`);
      setSavedPick('');
      toast(`Deleted the saved mapping “${m.name}”`);
      qc.invalidateQueries({ queryKey: ['import-mappings'] });
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };

  const continueFromMap = async () => {
    clearErrors();
    const phones = cols.filter((c) => c.choice === 'phone').length;
    if (phones === 0) {
      setStepErrors({ map: 'Map one column to Phone: a phone number is what identifies a contact.' });
      return;
    }
    if (phones > 1) {
      setStepErrors({ map: 'Only one column can be Phone. Map the others to “Extra phone”.' });
      return;
    }
    const bad = cols.findIndex((c) => c.choice === '__new' && !KEY_RE.test(c.key.trim()));
    if (bad >= 0) {
      setFieldErrors({ [`columns[${bad}].new_field.key`]: 'A key starts with a lower-case letter, then lower-case letters, digits or _.' });
      return;
    }
    const badLabel = cols.findIndex((c) => c.choice === '__new' && !c.label.trim());
    if (badLabel >= 0) {
      setFieldErrors({ [`columns[${badLabel}].new_field.label`]: 'Give the new field a label.' });
      return;
    }
    if (await save('map')) {
      setOffset(0);
      setStep('review');
      if (order('review') > order(reached)) setReached('review');
    }
  };
  const setStrict = async (strict: boolean) => {
    const o = { ...options, strict };
    setOptions(o);
    await save('review', { options: o });
  };
  const useColumnForPhone = async (index: number) => {
    const i = imp?.columns.findIndex((c) => c.index === index) ?? -1;
    if (i < 0) return;
    const next = cols.map((c, j) => (j === i ? { ...c, choice: 'phone' } : c.choice === 'phone' ? { ...c, choice: 'ignore' } : c));
    setCols(next);
    const cc = consentColumn === i ? null : consentColumn;
    setConsentColumn(cc);
    setOffset(0);
    await save('review', { cols: next, consentColumn: cc });
  };
  const continueFromConsent = () => {
    if (!attested) {
      setFieldErrors({ consent_attested: 'Confirm that these people agreed to be contacted before you import them.' });
      return;
    }
    go('tags');
  };
  const continueFromTags = async () => {
    clearErrors();
    if (await save('tags')) go('destination');
  };
  const start = async () => {
    if (!imp) return;
    clearErrors();
    if (!attested) {
      setFieldErrors({ consent_attested: 'Confirm that these people agreed to be contacted before you import them.' });
      setStep('consent');
      return;
    }
    if (listOn && !listName.trim()) {
      setFieldErrors({ 'list.name': 'Name the dial list.' });
      return;
    }
    setStarting(true);
    if (!(await save('destination'))) {
      setStarting(false);
      return;
    }
    setBusy('start');
    try {
      const j = await api.post<ImportJob>(importPath(imp.id, '/start'), { consent_attested: true });
      setImp(j);
      qc.invalidateQueries({ queryKey: ['imports'] });
      setStep(j.status === 'running' || j.status === 'draft' ? 'progress' : 'summary');
      setReached('summary');
    } catch (e) {
      // Strict mode refusing the file is about the review; the plan limit is about where it goes.
      if (e instanceof ApiError && !e.field && e.status === 422 && options.strict && !('limit' in e.details)) showError(e, 'review');
      else showError(e, 'destination');
      setStarting(false);
    } finally {
      setBusy(null);
    }
  };

  // ---- rendering helpers ----------------------------------------------------------------
  const cfOptions = (fields.data ?? []).filter((f) => !f.archived);
  // Only admins create custom fields (docs/API.md), from an import too.
  const canCreateFields = me.role === 'admin';
  const phoneIndex = cols.findIndex((c) => c.choice === 'phone');
  const tagLabels = useMemo(() => (tags.data ?? []).map((t) => t.label), [tags.data]);
  const tagColors = useMemo(() => Object.fromEntries((tags.data ?? []).map((t) => [t.label.toLowerCase(), t.color])), [tags.data]);

  const stepNav = (
    <nav className="stepper" aria-label="Import steps">
      <ol>
        {STEPS.map((s, i) => {
          const state = s.id === step ? 'current' : i < order(step) || (!running && i <= order(reached)) ? 'done' : 'todo';
          const clickable = !running && imp !== null && i <= order(reached) && s.id !== step && order(s.id) < order('progress') && s.id !== 'upload';
          return (
            <li key={s.id} className={`step step-${state}`}>
              {clickable ? (
                <button type="button" className="step-button" onClick={() => go(s.id)}>
                  <span className="step-num" aria-hidden="true">{i + 1}</span>{s.label}
                </button>
              ) : (
                <span className="step-button" aria-current={s.id === step ? 'step' : undefined}>
                  <span className="step-num" aria-hidden="true">{i + 1}</span>{s.label}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );

  const actions = (back: Step | null, next: ReactNode, errStep: Step) => (
    <div className="wizard-actions">
      {back && <button type="button" className="button" onClick={() => go(back)} disabled={!!busy}>Back</button>}
      <span className="toolbar-spacer" />
      {stepErrors[errStep] && <p className="form-error" role="alert">{stepErrors[errStep]}</p>}
      {next}
    </div>
  );

  if (loadError) {
    return (
      <div className="page narrow">
        <h1>Import contacts</h1>
        <ErrorBanner error={loadError} />
        <p><Link to="/imports">Back to the import history</Link></p>
      </div>
    );
  }
  if (routeId !== null && !imp) return <div className="page"><Spinner label="Loading the import…" /></div>;

  const title = STEPS.find((s) => s.id === step)?.label ?? '';

  return (
    <div className="page wizard-page">
      <div className="page-head">
        <div>
          <h1>Import contacts</h1>
          <p className="muted">
            {imp ? <>From <strong>{imp.file_name}</strong> · {imp.rows_total.toLocaleString()} {imp.rows_total === 1 ? 'row' : 'rows'}</>
              : 'Bring a spreadsheet, a vCard file or a Google Sheet into your contacts.'}
          </p>
        </div>
        <Link to="/imports" className="button ghost">Import history</Link>
      </div>
      {stepNav}
      <section className="card wizard-card" aria-labelledby="wizard-step-title">
        <h2 id="wizard-step-title" ref={headingRef} tabIndex={-1}>{title}</h2>

        {step === 'upload' && (
          <>
            {imp ? (
              <div className="upload-done">
                <p>
                  <strong>{imp.file_name}</strong> is uploaded: {imp.rows_total.toLocaleString()} rows, {imp.columns.length} columns
                  ({imp.format.toUpperCase()}{imp.encoding ? `, ${imp.encoding}` : ''}{imp.delimiter ? `, “${imp.delimiter === '\t' ? 'tab' : imp.delimiter}” separated` : ''}).
                </p>
                <div className="banner-actions">
                  <button type="button" className="button primary" onClick={() => go('map')}>Continue to mapping</button>
                  <button type="button" className="button danger ghost" disabled={busy === 'discard'} onClick={discard}>Discard and upload another file</button>
                </div>
                {uploadError && <p className="form-error" role="alert">{uploadError}</p>}
              </div>
            ) : (
              <UploadPanel busy={busy} error={uploadError} sheetUrl={sheetUrl} onSheetUrl={setSheetUrl}
                sheetError={fieldErrors.sheet_url} onFile={upload} onSheet={uploadSheet} />
            )}
          </>
        )}

        {step === 'map' && imp && (
          <>
            <p className="muted">Choose what each column of the file becomes. One column must be the phone number.</p>
            <div className="map-tools">
              <div className="field">
                <label htmlFor="saved-mapping">Saved mappings</label>
                <div className="inline-form">
                  <select id="saved-mapping" value={savedPick} onChange={(e) => setSavedPick(e.target.value)} disabled={!mappings.data?.length}>
                    <option value="">{mappings.data?.length ? 'Choose a saved mapping…' : 'No saved mappings yet'}</option>
                    {(mappings.data ?? []).map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
                  </select>
                  <button type="button" className="button" disabled={!savedPick} onClick={applySaved}>Apply</button>
                  <button type="button" className="button ghost danger" disabled={!savedPick} onClick={deleteSaved} aria-label="Delete the saved mapping">Delete</button>
                </div>
              </div>
              <FieldRow label="Consent column" htmlFor="consent-column" error={errFor('consent_column')}
                hint="Rows whose consent cell says no (no, false, 0, opted-out …) are skipped.">
                <select id="consent-column" value={consentColumn ?? ''} onChange={(e) => pickConsent(e.target.value)}>
                  <option value="">No consent column</option>
                  {imp.columns.map((c, i) => <option key={c.index} value={i}>{colLabel(c.header, i)}</option>)}
                </select>
              </FieldRow>
            </div>
            <MapTable columns={imp.columns} cols={cols} errFor={errFor} cfOptions={cfOptions}
              canCreateFields={canCreateFields} onChoice={setChoice} onCol={setCol} />
            <div className="map-foot">
              <FieldRow label="Save this mapping as (optional)" htmlFor="save-as" error={errFor('save_as')}
                hint="Files with the same columns will get it as their suggestion.">
                <input id="save-as" value={saveAs} placeholder="e.g. Clinic CRM export" onChange={(e) => setSaveAs(e.target.value)} />
              </FieldRow>
            </div>
            {actions('upload', <button type="button" className="button primary" disabled={!!busy} onClick={continueFromMap}>
              {busy === 'save' ? 'Checking…' : 'Continue to review'}</button>, 'map')}
          </>
        )}

        {step === 'review' && imp && (
          <>
            {(review.isPending || busy === 'save') && <Spinner label="Checking every row…" />}
            <ErrorBanner error={review.error} />
            {review.data && (
              <ReviewBody review={review.data} imp={imp} phoneIndex={phoneIndex} choices={cols.map((c) => c.choice)} rows={rows.data} rowsLoading={rows.isFetching}
                rowsError={rows.error} status={rowStatus} offset={offset} strict={options.strict} strictError={errFor('strict')}
                onStatus={(s) => { setRowStatus(s); setOffset(0); }} onOffset={setOffset} onStrict={setStrict}
                onUseColumn={useColumnForPhone} busy={!!busy} />
            )}
            {actions('map', <button type="button" className="button primary" disabled={!!busy || !review.data} onClick={() => go('consent')}>Continue</button>, 'review')}
          </>
        )}

        {step === 'consent' && imp && (
          <>
            <p>
              Before you import, confirm that the people in this file agreed to be contacted by {me.workspace.name}.
              Dialbook records who confirmed it and when, with the import and on every contact it creates.
            </p>
            {consentColumn !== null ? (
              <p className="muted">
                Consent column: <strong>{colLabel(imp.columns[consentColumn]?.header ?? '', consentColumn)}</strong>.
                {review.data ? ` ${(review.data.skipped.no_consent ?? 0).toLocaleString()} ${(review.data.skipped.no_consent ?? 0) === 1 ? 'row says' : 'rows say'} no and will be skipped.` : ''}
              </p>
            ) : <p className="muted">No consent column is mapped: the confirmation below covers every row.</p>}
            <div className={fieldErrors.consent_attested ? 'consent-box has-error' : 'consent-box'}>
              <input id="consent-attest" type="checkbox" checked={attested} aria-invalid={!!fieldErrors.consent_attested}
                aria-describedby={fieldErrors.consent_attested ? 'consent-attest-error' : undefined}
                onChange={(e) => { setAttested(e.target.checked); if (e.target.checked) setFieldErrors({}); }} />
              <label htmlFor="consent-attest">
                I confirm that the contacts in this file agreed to be contacted by {me.workspace.name}, by phone and text.
              </label>
            </div>
            {fieldErrors.consent_attested && <p className="field-error" id="consent-attest-error" role="alert">{fieldErrors.consent_attested}</p>}
            {actions('review', <button type="button" className="button primary" onClick={continueFromConsent}>Continue</button>, 'consent')}
          </>
        )}

        {step === 'tags' && imp && (
          <>
            <TagsAndDuplicates options={options} onOptions={(patch) => { touch(); setOptions({ ...options, ...patch }); }}
              tagLabels={tagLabels} tagColors={tagColors} errFor={errFor} />
            {actions('consent', <button type="button" className="button primary" disabled={!!busy} onClick={continueFromTags}>Continue</button>, 'tags')}
          </>
        )}

        {step === 'destination' && imp && (
          <>
            <DestinationOptions listOn={listOn} onListOn={(on) => { touch(); setListOn(on); }} listName={listName}
              onListName={(n) => { touch(); setListName(n); }} dialMode={dialMode} onDialMode={(m) => { touch(); setDialMode(m); }}
              errFor={errFor} />
            {review.data && (
              <p className="recap">
                Ready: <strong>{review.data.will_create.toLocaleString()}</strong> new, <strong>{review.data.will_update.toLocaleString()}</strong> to update,{' '}
                <strong>{review.data.will_skip.toLocaleString()}</strong> skipped
                {options.tags.length > 0 || autoTagOn(options) ? <> · tagged {[...options.tags, ...(autoTagOn(options) ? [typeof options.auto_tag === 'string' && options.auto_tag ? options.auto_tag : autoTagName()] : [])].join(', ')}</> : null}.
              </p>
            )}
            {actions('tags', <button type="button" className="button primary" disabled={!!busy} onClick={start}>
              {busy === 'start' || busy === 'save' ? 'Starting…' : 'Start import'}</button>, 'destination')}
          </>
        )}

        {step === 'progress' && imp && (
          <ImportProgress imp={live.imp?.id === imp.id ? live.imp : imp} mode={live.mode} error={live.error} />
        )}

        {step === 'summary' && imp && (
          <>
            <ImportSummaryPanel imp={imp} onChange={setImp} />
            <div className="wizard-actions">
              <Link to="/contacts" className="button">View contacts</Link>
              <Link to="/imports" className="button">Import history</Link>
              <span className="toolbar-spacer" />
              <Link to="/imports/new" className="button primary">Import another file</Link>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
