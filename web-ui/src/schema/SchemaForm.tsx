import { useId } from 'react';
import type { JsonSchema } from '../api/types';
import { kind, type FieldErrors } from './validate';

// A form generated from a JSON Schema (the destination definition's configSchema): one input per property, chosen by
// its type (text, number, checkbox, select for enums, repeatable groups for arrays, fieldsets for objects), with the
// error for that field (from validate()) shown under it and announced to screen readers.

type Obj = Record<string, unknown>;

interface Props {
  schema: JsonSchema;
  value: Obj;
  onChange: (value: Obj) => void;
  errors: FieldErrors;
  /** dotted paths (array indices left out) whose values are secrets, e.g. "headers.to" */
  secretKeys?: string[];
}

export function SchemaForm({ schema, value, onChange, errors, secretKeys = [] }: Props) {
  return (
    <div className="schema-form">
      <ObjectFields schema={schema} value={value} onChange={onChange} errors={errors} path="" secrets={secretKeys} />
    </div>
  );
}

interface FieldsProps {
  schema: JsonSchema;
  value: Obj;
  onChange: (value: Obj) => void;
  errors: FieldErrors;
  path: string;
  secrets: string[];
}

function ObjectFields({ schema, value, onChange, errors, path, secrets }: FieldsProps) {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => (
        <Field
          key={key}
          name={key}
          schema={prop}
          required={required.has(key)}
          value={value[key]}
          path={path ? `${path}.${key}` : key}
          errors={errors}
          secrets={secrets}
          onChange={(v) => {
            const next = { ...value };
            if (v === undefined) delete next[key];
            else next[key] = v;
            onChange(next);
          }}
        />
      ))}
    </>
  );
}

interface FieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  path: string;
  errors: FieldErrors;
  secrets: string[];
  onChange: (value: unknown) => void;
}

export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

function Field({ name, schema, required, value, path, errors, secrets, onChange }: FieldProps) {
  const id = useId();
  const label = schema.title ?? humanize(name);
  const error = errors[path];
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [schema.description ? helpId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const secret = secrets.includes(path.replace(/\.\d+(?=\.|$)/g, ''));
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': required || undefined,
  } as const;
  const t = kind(schema);

  let control: React.ReactNode;
  if (schema.enum) {
    control = (
      <select {...common} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        {!required || value === undefined ? <option value="">—</option> : null}
        {schema.enum.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (t === 'boolean') {
    return (
      <div className="field field-checkbox">
        <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={id}>{label}</label>
        <FieldNotes schema={schema} helpId={helpId} error={error} errorId={errorId} />
      </div>
    );
  } else if (t === 'number' || t === 'integer') {
    control = (
      <input
        {...common}
        type="number"
        step={t === 'integer' ? 1 : 'any'}
        value={value === undefined || value === null ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    );
  } else if (t === 'string') {
    control = (
      <input
        {...common}
        type={secret ? 'password' : 'text'}
        autoComplete="off"
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
    );
  } else if (t === 'object') {
    return (
      <fieldset className="field-group">
        <legend>{label}</legend>
        <ObjectFields
          schema={schema}
          value={(value as Obj) ?? {}}
          onChange={onChange}
          errors={errors}
          path={path}
          secrets={secrets}
        />
        <FieldNotes schema={schema} helpId={helpId} error={error} errorId={errorId} />
      </fieldset>
    );
  } else if (t === 'array') {
    return (
      <ArrayField label={label} schema={schema} value={value} path={path} errors={errors} secrets={secrets} onChange={onChange} />
    );
  } else {
    control = <JsonField common={common} value={value} onChange={onChange} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      <FieldNotes schema={schema} helpId={helpId} error={error} errorId={errorId} />
    </div>
  );
}

function FieldNotes({ schema, helpId, error, errorId }: { schema: JsonSchema; helpId: string; error?: string; errorId: string }) {
  return (
    <>
      {schema.description && (
        <small id={helpId} className="muted">
          {schema.description}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error" role="alert">
          {error}
        </small>
      )}
    </>
  );
}

function ArrayField({ label, schema, value, path, errors, secrets, onChange }: Omit<FieldProps, 'name' | 'required'> & { label: string }) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema: JsonSchema = schema.items ?? { type: 'string' };
  const empty = kind(itemSchema) === 'object' ? {} : kind(itemSchema) === 'string' ? '' : undefined;
  const set = (next: unknown[]) => onChange(next.length ? next : undefined);
  return (
    <fieldset className="field-group">
      <legend>{label}</legend>
      {items.map((item, index) => (
        <div className="array-item" key={index}>
          <div className="array-item-fields">
            {kind(itemSchema) === 'object' ? (
              <ObjectFields
                schema={itemSchema}
                value={(item as Obj) ?? {}}
                onChange={(v) => set(items.map((x, i) => (i === index ? v : x)))}
                errors={errors}
                path={`${path}.${index}`}
                secrets={secrets}
              />
            ) : (
              <Field
                name={`${label} ${index + 1}`}
                schema={itemSchema}
                required={false}
                value={item}
                path={`${path}.${index}`}
                errors={errors}
                secrets={secrets}
                onChange={(v) => set(items.map((x, i) => (i === index ? (v ?? '') : x)))}
              />
            )}
          </div>
          <button
            type="button"
            className="secondary small"
            aria-label={`Remove ${label} ${index + 1}`}
            onClick={() => set(items.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="secondary small" onClick={() => set([...items, empty])}>
        Add {label.toLowerCase()}
      </button>
      {errors[path] && (
        <small className="field-error" role="alert">
          {errors[path]}
        </small>
      )}
    </fieldset>
  );
}

function JsonField({ common, value, onChange }: { common: object; value: unknown; onChange: (v: unknown) => void }) {
  return (
    <textarea
      {...common}
      rows={3}
      defaultValue={value === undefined ? '' : JSON.stringify(value, null, 2)}
      onBlur={(e) => {
        const text = e.target.value.trim();
        if (!text) return onChange(undefined);
        try {
          onChange(JSON.parse(text));
        } catch {
          onChange(text);
        }
      }}
    />
  );
}
