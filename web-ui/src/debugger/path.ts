import type { Delivery, ProcessingNote, ReceivedEvent } from './api';

// One event's path per destination, from what the processor noted (filtered or failed there, with the reason) and
// what the router did (its rt jobs, replays included). A destination with neither is still on its way.

export type Step =
  | { kind: 'dropped'; note: ProcessingNote; outcome: 'filtered' | 'failed' }
  | { kind: 'routed'; deliveries: Delivery[] };

export interface DestinationPath {
  destinationId: string;
  step: Step;
  /** what this destination's path ended in, for the badge */
  final: string;
}

/** Final states that will not change any more. */
const DONE = new Set(['succeeded', 'aborted', 'filtered']);

export function paths(event: ReceivedEvent, deliveries: Delivery[]): DestinationPath[] {
  const out: DestinationPath[] = [];
  const seen = new Set<string>();
  const byDestination = new Map<string, Delivery[]>();
  for (const d of [...deliveries].sort((a, b) => a.jobId - b.jobId)) {
    byDestination.set(d.destinationId, [...(byDestination.get(d.destinationId) ?? []), d]);
  }
  for (const [destinationId, ds] of byDestination) {
    seen.add(destinationId);
    // a replay is a later job for the same destination: the newest decides where the event ended
    out.push({ destinationId, step: { kind: 'routed', deliveries: ds }, final: ds[ds.length - 1].finalState });
  }
  const notes: [ProcessingNote[] | undefined, 'filtered' | 'failed'][] = [
    [event.processing.filtered, 'filtered'],
    [event.processing.failures, 'failed'],
  ];
  for (const [list, outcome] of notes) {
    for (const note of list ?? []) {
      if (seen.has(note.destinationId)) continue;
      seen.add(note.destinationId);
      out.push({
        destinationId: note.destinationId,
        step: { kind: 'dropped', note, outcome },
        final: outcome === 'filtered' ? 'filtered' : 'transformation failed',
      });
    }
  }
  return out;
}

/** True while something may still change: the processor has not finished, or a delivery is not final. */
export function inFlight(event: ReceivedEvent, result: DestinationPath[]): boolean {
  if (event.state === 'pending' || event.state === 'executing') return true;
  return result.some((p) => p.step.kind === 'routed' && !DONE.has(p.final));
}

export function sdkLabel(event: ReceivedEvent): string {
  const { name, version } = event.sdk;
  if (!name) return 'unknown (no context.library)';
  return version ? `${name} ${version}` : name;
}
