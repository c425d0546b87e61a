import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { DestinationDefinition, JsonSchema } from '../api/types';
import { DestinationForm } from '../components/DestinationForm';
import { SchemaForm } from './SchemaForm';
import { validate } from './validate';

// The built-in WEBHOOK definition exactly as the config backend seeds it (V2__builtin_webhook_definition.sql).
const WEBHOOK_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['webhookUrl'],
  properties: {
    webhookUrl: { type: 'string', pattern: '^https?://.+', title: 'Webhook URL' },
    webhookMethod: { type: 'string', enum: ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'], default: 'POST' },
    headers: {
      type: 'array',
      items: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } },
    },
  },
};

const WEBHOOK: DestinationDefinition = {
  id: 'builtin-webhook',
  name: 'WEBHOOK',
  displayName: 'Webhook',
  configSchema: WEBHOOK_SCHEMA,
  supportedMessageTypes: ['track'],
  secretKeys: ['headers.to'],
  transformAt: 'processor',
  origin: 'builtin',
};

function Harness({ schema, onValue }: { schema: JsonSchema; onValue?: (v: Record<string, unknown>) => void }) {
  const [value, setValue] = useState<Record<string, unknown>>({});
  return (
    <SchemaForm
      schema={schema}
      value={value}
      errors={validate(schema, value)}
      onChange={(v) => {
        setValue(v);
        onValue?.(v);
      }}
    />
  );
}

describe('SchemaForm', () => {
  it('renders one control per property, chosen by the property type', () => {
    render(
      <Harness
        schema={{
          type: 'object',
          properties: {
            apiKey: { type: 'string' },
            batchSize: { type: 'integer', title: 'Batch size' },
            sendAnonymous: { type: 'boolean' },
            region: { type: 'string', enum: ['EU', 'US'] },
          },
        }}
      />,
    );
    expect(screen.getByLabelText('Api key')).toHaveAttribute('type', 'text');
    expect(screen.getByLabelText('Batch size')).toHaveAttribute('type', 'number');
    expect(screen.getByLabelText('Send anonymous')).toHaveAttribute('type', 'checkbox');
    const region = screen.getByLabelText('Region');
    expect(within(region).getAllByRole('option').map((o) => o.textContent)).toEqual(['—', 'EU', 'US']);
  });

  it('gives numbers and booleans their JSON types and drops cleared fields', async () => {
    const onValue = vi.fn();
    const user = userEvent.setup();
    render(
      <Harness
        onValue={onValue}
        schema={{ type: 'object', properties: { size: { type: 'integer' }, on: { type: 'boolean' }, name: { type: 'string' } } }}
      />,
    );
    await user.type(screen.getByLabelText('Size'), '25');
    await user.click(screen.getByLabelText('On'));
    await user.type(screen.getByLabelText('Name'), 'x');
    await user.clear(screen.getByLabelText('Name'));
    expect(onValue).toHaveBeenLastCalledWith({ size: 25, on: true });
  });

  it('edits arrays of objects row by row and hides secret values', async () => {
    const onValue = vi.fn();
    const user = userEvent.setup();
    function WithSecrets() {
      const [value, setValue] = useState<Record<string, unknown>>({ webhookUrl: 'http://x' });
      return (
        <SchemaForm
          schema={WEBHOOK_SCHEMA}
          value={value}
          errors={{}}
          secretKeys={['headers.to']}
          onChange={(v) => {
            setValue(v);
            onValue(v);
          }}
        />
      );
    }
    render(<WithSecrets />);
    await user.click(screen.getByRole('button', { name: 'Add headers' }));
    await user.type(screen.getByLabelText(/^From/), 'X-Api-Key');
    await user.type(screen.getByLabelText(/^To/), 's3cret');
    expect(screen.getByLabelText(/^To/)).toHaveAttribute('type', 'password');
    expect(onValue).toHaveBeenLastCalledWith({ webhookUrl: 'http://x', headers: [{ from: 'X-Api-Key', to: 's3cret' }] });
    await user.click(screen.getByRole('button', { name: 'Remove Headers 1' }));
    expect(onValue).toHaveBeenLastCalledWith({ webhookUrl: 'http://x' });
  });
});

describe('DestinationForm', () => {
  it('shows a field error inline as soon as that field is edited, and clears it when fixed', async () => {
    const user = userEvent.setup();
    render(<DestinationForm definition={WEBHOOK} submitLabel="Create" onSubmit={vi.fn()} />);
    const url = screen.getByLabelText(/Webhook URL/);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.type(url, 'ftp://sink');
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('must match ^https?://.+');
    await user.clear(url);
    await user.type(url, 'http://127.0.0.1:9999/hook');
    expect(url).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('refuses to submit with missing required fields and says which', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    render(<DestinationForm definition={WEBHOOK} submitLabel="Create" onSubmit={onSubmit} />);
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(onSubmit).not.toHaveBeenCalled();
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual(['is required', 'is required']);
    expect(screen.getByLabelText(/Webhook URL/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(/^Name/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('submits the name and the config, defaults included', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    const user = userEvent.setup();
    render(<DestinationForm definition={WEBHOOK} submitLabel="Create" onSubmit={onSubmit} />);
    expect(screen.getByLabelText('Webhook method')).toHaveValue('POST');
    await user.type(screen.getByLabelText(/^Name/), 'Sink');
    await user.type(screen.getByLabelText(/Webhook URL/), 'http://127.0.0.1:9999/hook');
    await user.selectOptions(screen.getByLabelText('Webhook method'), 'PUT');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(onSubmit).toHaveBeenCalledWith({
      name: 'Sink',
      config: { webhookMethod: 'PUT', webhookUrl: 'http://127.0.0.1:9999/hook' },
    });
  });

  it('shows the server’s field errors beside the fields they name', async () => {
    const onSubmit = vi
      .fn()
      .mockRejectedValue(new ApiError(400, 'Invalid request', [{ field: 'config.webhookUrl', message: 'host is not allowed' }]));
    const user = userEvent.setup();
    render(
      <DestinationForm
        definition={WEBHOOK}
        initial={{ name: 'Sink', config: { webhookUrl: 'http://10.0.0.1/x' } }}
        submitLabel="Save"
        onSubmit={onSubmit}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const url = screen.getByLabelText(/Webhook URL/);
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(document.getElementById(url.getAttribute('aria-describedby')!)).toHaveTextContent('host is not allowed');
  });
});
