import { javascript } from '@codemirror/lang-javascript';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';

/** Two versions side by side, changed lines and characters highlighted (CodeMirror's merge view), read-only. */
export function VersionDiff({ from, to }: { from: string; to: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const extensions = [lineNumbers(), javascript(), EditorView.editable.of(false), EditorState.readOnly.of(true)];
    const view = new MergeView({
      a: { doc: from, extensions },
      b: { doc: to, extensions },
      parent: host.current,
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    return () => view.destroy();
  }, [from, to]);
  return <div ref={host} className="version-diff" />;
}
