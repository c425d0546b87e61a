import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import type { DestinationDefinition } from '../api/types';
import { SchemaForm } from '../schema/SchemaForm';
import { defaults, validate, type FieldErrors } from '../schema/validate';

export interface DestinationDraft {
  name: string;
  config: Record<string, unknown>;
}

interface Props {
  definition: DestinationDefinition;
  initial?: DestinationDraft;
  submitLabel: string;
  onSubmit: (draft: DestinationDraft) => Promise<void>;
  children?: React.ReactNode;
}

/**
 * Name plus the definition's schema-driven config form. Errors show beside a field once it has been edited, and for
 * every field after a submit attempt; the server's own field errors (config.<path>) are shown the same way.
 */
export function DestinationForm({ definition, initial, submitLabel, onSubmit, children }: Props) {
  const schema = useMemo(() => definition.configSchema ?? { type: 'object', properties: {} }, [definition]);
  const [name, setName] = useState(initial?.name ?? '');
  const [config, setConfig] = useState<Record<string, unknown>>(initial?.config ?? defaults(schema));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const errors = useMemo(() => validate(schema, config, definition.secretKeys), [schema, config, definition.secretKeys]);
  const shown: FieldErrors = { ...serverErrors };
  for (const [path, message] of Object.entries(errors)) {
    if (submitted || [...touched].some((t) => path === t || path.startsWith(`${t}.`))) shown[path] = message;
  }
  const nameError = (submitted || touched.has('#name')) && !name.trim() ? 'is required' : undefined;

  const change = (next: Record<string, unknown>) => {
    const changed = new Set(touched);
    for (const key of new Set([...Object.keys(next), ...Object.keys(config)])) {
      if (JSON.stringify(next[key]) !== JSON.stringify(config[key])) changed.add(key);
    }
    setTouched(changed);
    setConfig(next);
    setServerErrors({});
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setError(undefined);
    if (!name.trim() || Object.keys(errors).length) return;
    setBusy(true);
    try {
      await onSubmit({ name: name.trim(), config });
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const byPath: FieldErrors = {};
        for (const f of err.fields) byPath[f.field.replace(/^config\.?/, '').replace(/\[(\d+)\]/g, '.$1')] = f.message;
        setServerErrors(byPath);
      }
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card destination-form" onSubmit={submit} noValidate aria-label={`${definition.displayName} settings`}>
      <div className="field">
        <label htmlFor="destination-name">
          Name<span aria-hidden="true"> *</span>
        </label>
        <input
          id="destination-name"
          value={name}
          maxLength={200}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? 'destination-name-error' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setTouched(new Set(touched).add('#name'));
          }}
        />
        {nameError && (
          <small id="destination-name-error" className="field-error" role="alert">
            {nameError}
          </small>
        )}
      </div>
      <SchemaForm schema={schema} value={config} onChange={change} errors={shown} secretKeys={definition.secretKeys} />
      {children}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
