import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { DestinationDefinition } from '../api/types';
import { SECRET_MASK } from '../schema/validate';
import { DestinationForm } from './DestinationForm';

const slack: DestinationDefinition = {
  id: 'slack',
  name: 'SLACK',
  displayName: 'Slack',
  configSchema: {
    type: 'object',
    required: ['webhookUrl'],
    properties: { webhookUrl: { type: 'string', title: 'Incoming webhook URL', pattern: '^https://' } },
  },
  supportedMessageTypes: null,
  secretKeys: ['webhookUrl'],
  transformAt: 'router',
  origin: 'builtin',
};

describe('DestinationForm', () => {
  it('re-saves a Slack destination whose webhook URL comes back masked (review P2-10)', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(
      <DestinationForm
        definition={slack}
        initial={{ name: 'Alerts', config: { webhookUrl: SECRET_MASK } }}
        submitLabel="Save settings"
        onSubmit={onSubmit}
      />,
    );
    await userEvent.clear(screen.getByLabelText(/^Name/));
    await userEvent.type(screen.getByLabelText(/^Name/), 'Alerts renamed');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(onSubmit).toHaveBeenCalledWith({ name: 'Alerts renamed', config: { webhookUrl: SECRET_MASK } });
    expect(screen.queryByText(/must match/)).not.toBeInTheDocument();
  });
});
