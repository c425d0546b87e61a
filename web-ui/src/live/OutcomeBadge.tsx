import { Badge } from '../components/Status';
import type { Outcome } from './feeds';

const TONES: Record<string, 'ok' | 'bad' | 'warn' | 'off' | 'info'> = {
  succeeded: 'ok',
  delivered: 'ok',
  failed: 'warn',
  waiting: 'warn',
  executing: 'info',
  pending: 'info',
  aborted: 'bad',
  filtered: 'off',
};

const WORDS: Record<string, string> = { succeeded: 'delivered', executing: 'sending' };

export function OutcomeBadge({ outcome, name }: { outcome: Outcome; name?: string }) {
  const word = WORDS[outcome.status] ?? outcome.status;
  const code = outcome.statusCode ? ` ${outcome.statusCode}` : '';
  return (
    <Badge tone={TONES[outcome.status] ?? 'info'}>
      {name ? `${name}: ` : ''}
      {word}
      {code}
    </Badge>
  );
}
