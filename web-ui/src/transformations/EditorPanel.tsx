import { useState } from 'react';
import { errorMessage } from '../api/client';
import { testTransformation } from '../api/dataplane';
import type { TestRun } from '../api/types';
import { pretty } from '../lib/format';
import { CodeEditor } from './CodeEditor';
import { SAMPLE_EVENTS } from './samples';

export type RunTest = (code: string, events: unknown[]) => Promise<TestRun>;

interface Props {
  code: string;
  onCodeChange: (code: string) => void;
  /** runs the code on the transformer; replaceable in tests */
  runTest?: RunTest;
  /** recently received events to test with, when the data plane offers them */
  loadRecent?: () => Promise<unknown[]>;
}

/**
 * The transformation workbench: the code on the left, the sample events on the right, and after "Run" the
 * outputs, the per-event errors and the log() lines side by side. Ctrl/Cmd+Enter runs from anywhere in the panel.
 */
export function EditorPanel({ code, onCodeChange, runTest = testTransformation, loadRecent }: Props) {
  const [events, setEvents] = useState(SAMPLE_EVENTS);
  const [eventsError, setEventsError] = useState<string>();
  const [result, setResult] = useState<TestRun>();
  const [runError, setRunError] = useState<string>();
  const [running, setRunning] = useState(false);

  const run = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(events);
    } catch (e) {
      setEventsError(`Sample events are not valid JSON: ${(e as Error).message}`);
      return;
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    if (list.length === 0) {
      setEventsError('Add at least one sample event.');
      return;
    }
    setEventsError(undefined);
    setRunError(undefined);
    setRunning(true);
    try {
      setResult(await runTest(code, list));
    } catch (e) {
      setResult(undefined);
      setRunError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };

  const loadRecentEvents = async () => {
    if (!loadRecent) return;
    try {
      const recent = await loadRecent();
      if (recent.length) setEvents(JSON.stringify(recent.slice(0, 20), null, 2));
      else setEventsError('No recent events yet: send some to a source first.');
    } catch (e) {
      setEventsError(`Recent events are not available: ${errorMessage(e)}`);
    }
  };

  return (
    <div
      className="editor-panel"
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void run();
        }
      }}
    >
      <div className="editor-grid">
        <div>
          <h3>Code</h3>
          <CodeEditor label="Transformation code" value={code} onChange={onCodeChange} />
        </div>
        <div>
          <h3>Sample events</h3>
          <CodeEditor label="Sample events" language="json" value={events} onChange={setEvents} />
          {eventsError && (
            <p className="field-error" role="alert">
              {eventsError}
            </p>
          )}
        </div>
      </div>
      <div className="toolbar">
        <button type="button" onClick={() => void run()} disabled={running}>
          {running ? 'Running…' : 'Run test'}
        </button>
        {loadRecent && (
          <button type="button" className="secondary" onClick={() => void loadRecentEvents()}>
            Use recent events
          </button>
        )}
        <span className="muted small-print">Ctrl+Enter runs</span>
        {result && <span className="muted">{result.durationMs} ms</span>}
      </div>
      {runError && (
        <p className="error-box" role="alert">
          {runError}
        </p>
      )}
      {result && <Results result={result} />}
    </div>
  );
}

function Results({ result }: { result: TestRun }) {
  return (
    <div className="results-grid" aria-live="polite">
      <section aria-labelledby="outputs-title">
        <h3 id="outputs-title">Outputs ({result.outputs.length})</h3>
        {result.outputs.length === 0 ? (
          <p className="muted">No events returned: every event was dropped.</p>
        ) : (
          <ol className="plain" data-testid="outputs">
            {result.outputs.map((output, i) => (
              <li key={i}>
                <pre className="code small">{pretty(output)}</pre>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="errors-title">
        <h3 id="errors-title">Errors ({result.errors.length})</h3>
        {result.errors.length === 0 ? (
          <p className="muted">No errors.</p>
        ) : (
          <ul className="plain" data-testid="errors">
            {result.errors.map((error, i) => (
              <li key={i} className="error-line">
                <strong>{error.index < 0 ? 'Code' : `Event ${error.index + 1}`}</strong>
                {error.messageId ? <span className="muted"> ({error.messageId})</span> : null}: {error.error}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="logs-title">
        <h3 id="logs-title">Logs ({result.logs.length})</h3>
        {result.logs.length === 0 ? (
          <p className="muted">Nothing logged.</p>
        ) : (
          <pre className="code small" data-testid="logs">
            {result.logs.join('\n')}
          </pre>
        )}
      </section>
    </div>
  );
}
