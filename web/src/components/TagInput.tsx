// Pick several names (tags or groups): type to filter known ones, Enter or comma adds.
import { useId, useState, type KeyboardEvent } from 'react';
import { TagChip } from './ui';

export function TagInput({ label, value, onChange, suggestions, colors, placeholder }: {
  label: string; value: string[]; onChange: (v: string[]) => void; suggestions: string[];
  colors?: Record<string, string>; placeholder?: string;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const add = (raw: string) => {
    const v = raw.trim();
    if (!v || value.some((x) => x.toLowerCase() === v.toLowerCase())) return;
    onChange([...value, v]);
    setText('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add(text);
    } else if (e.key === 'Backspace' && !text && value.length) {
      onChange(value.slice(0, -1));
    }
  };
  const listId = `${id}-list`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="tag-input">
        {value.map((t) => (
          <TagChip key={t} label={t} color={colors?.[t.toLowerCase()]} onRemove={() => onChange(value.filter((x) => x !== t))} />
        ))}
        <input id={id} list={listId} value={text} placeholder={value.length ? '' : placeholder}
          onChange={(e) => {
            const v = e.target.value;
            // Picking a suggestion from the list adds it at once.
            if (suggestions.includes(v)) add(v);
            else setText(v);
          }}
          onKeyDown={onKey} onBlur={() => add(text)} />
        <datalist id={listId}>
          {suggestions.filter((s) => !value.includes(s)).map((s) => <option key={s} value={s} />)}
        </datalist>
      </div>
    </div>
  );
}
