import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useMemo } from 'react';


/** CodeMirror 6 with JavaScript (or JSON) highlighting, line numbers, bracket matching and undo history. */
export function CodeEditor({
  value,
  onChange,
  label,
  language = 'javascript',
  height = '320px',
  readOnly = false,
}: {
  value: string;
  onChange?: (value: string) => void;
  label: string;
  language?: 'javascript' | 'json';
  height?: string;
  readOnly?: boolean;
}) {
  const extensions = useMemo(
    () => [language === 'json' ? json() : javascript(), EditorView.contentAttributes.of({ 'aria-label': label })],
    [language, label],
  );
  return (
    <div className="code-editor" data-testid={`editor-${label}`}>
      <CodeMirror
        value={value}
        height={height}
        extensions={extensions}
        onChange={onChange}
        readOnly={readOnly}
        basicSetup={{ foldGutter: false, highlightActiveLine: !readOnly }}
      />
    </div>
  );
}
