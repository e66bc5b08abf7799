import { useEffect, useState } from 'react';
import { useDocument } from '../store/document.ts';
import { useNotices } from './notices.ts';
import { openExample } from './open-example.ts';
import { type ExampleEntry, listExamples } from './plan-files.ts';
import { KEPT_INPUT_NOTE } from './plan-input.ts';

let cached: Promise<ExampleEntry[]> | null = null;
/** The gallery's list, fetched once per page (a failure is tried again next time). */
function examples(): Promise<ExampleEntry[]> {
  cached ??= listExamples().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/**
 * The example plans (`public/examples/`) as buttons: choosing one opens it as a new document with its sample
 * being made. Used by the Open dialog and the Start tab.
 */
export function ExampleGallery({ onOpened, brief = false }: { onOpened?: () => void; brief?: boolean }) {
  const [list, setList] = useState<ExampleEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const openName = useDocument((s) => s.plan.name);
  const push = useNotices((s) => s.push);

  useEffect(() => {
    let live = true;
    examples().then(
      (l) => live && setList(l),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  const open = async (e: ExampleEntry) => {
    try {
      const input = await openExample(e);
      if (input === 'kept') push({ kind: 'info', text: KEPT_INPUT_NOTE });
      onOpened?.();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {!list && !error && <p className="muted">Loading…</p>}
      <ul className={brief ? 'gallery gallery-brief' : 'gallery'}>
        {list?.map((e) => (
          <li key={e.file}>
            <button
              type="button"
              className="gallery-item"
              onClick={() => void open(e)}
              title={brief ? e.description : undefined}
              aria-current={brief && e.name === openName ? 'true' : undefined}
              data-example={e.file}
            >
              <span className="gallery-name">{e.name}</span>
              {!brief && <span className="gallery-desc">{e.description}</span>}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
