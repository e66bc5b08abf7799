/**
 * Makes the share link of the open document. The input travels only when the user asks and it fits under
 * the cap; the app's API key is handed to the encoder so a key pasted into the plan stops the link.
 */
import { encodeShareLink, SHARE_LIMITS } from '../../workers/lang/index.ts';
import { useDocument } from '../store/document.ts';
import { inputText } from '../store/input.ts';
import { heldSecrets } from '../store/settings.ts';

export type InputFit =
  | { kind: 'none' }
  | { kind: 'fits'; bytes: number }
  | { kind: 'too-large'; bytes: number };

/** The input that "include input" would put in the link: the input panel's text, else the plan's own. */
function currentInput(): string {
  return inputText() || useDocument.getState().plan.input.text || '';
}

/** Whether the current input may travel in a link (cheap for a huge input: chars bound bytes from below). */
export function inputFit(): InputFit {
  const text = currentInput();
  if (text.length === 0) return { kind: 'none' };
  if (text.length > SHARE_LIMITS.maxInputBytes) return { kind: 'too-large', bytes: text.length };
  const bytes = new TextEncoder().encode(text).length;
  return bytes > SHARE_LIMITS.maxInputBytes ? { kind: 'too-large', bytes } : { kind: 'fits', bytes };
}

export type MadeLink = { ok: true; url: string } | { ok: false; error: string };

export async function makeShareLink(includeInput: boolean): Promise<MadeLink> {
  const plan = useDocument.getState().plan;
  const withInput = includeInput ? { ...plan, input: { ...plan.input, text: currentInput() } } : plan;
  try {
    const hash = await encodeShareLink(withInput, { includeInput, secrets: heldSecrets() });
    return { ok: true, url: `${location.origin}${location.pathname}${location.search}${hash}` };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
