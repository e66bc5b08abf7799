/**
 * The price table (docs/models.md, "Cost"): what each model costs per million tokens, as the user's
 * provider bills it. Fixpoint ships no prices: the table starts empty, is edited here or imported from a
 * JSON or CSV file, and is kept on this device with the other settings. A model without a price shows
 * "no price" in every cost figure, never a cost of zero.
 *
 * Rows are edited as text; the table the runs use changes only when every row is a valid price, and the
 * first problem is said under the table until it is fixed.
 */
import { useId, useRef, useState } from 'react';
import {
  formatCost,
  formatPriceTable,
  type PriceTable,
  parsePriceTable,
  validatePriceTable,
} from '../../../workers/lang/index.ts';
import { priceModelName, useActivePrice, useSettings } from '../../store/settings.ts';
import { saveFile } from '../run/logFile.ts';

interface DraftRow {
  key: number;
  model: string;
  input: string;
  output: string;
  cachedInput: string;
}

interface Draft {
  currency: string;
  rows: DraftRow[];
}

let nextKey = 0;

function draftOf(table: PriceTable): Draft {
  return {
    currency: table.currency,
    rows: table.prices.map((p) => ({
      key: nextKey++,
      model: p.model,
      input: String(p.input),
      output: String(p.output),
      cachedInput: p.cachedInput === undefined ? '' : String(p.cachedInput),
    })),
  };
}

/** The draft as a table, or the first thing wrong with it. */
function tableOf(draft: Draft) {
  // Text that is not a number stays text, so the error quotes what was typed.
  const num = (s: string) =>
    s.trim() === '' ? undefined : Number.isFinite(Number(s)) ? Number(s) : s.trim();
  return validatePriceTable({
    currency: draft.currency,
    prices: draft.rows.map((r) => ({
      model: r.model,
      input: num(r.input) ?? '',
      output: num(r.output) ?? '',
      cachedInput: num(r.cachedInput),
    })),
  });
}

export function PricesSection() {
  const ids = { currency: useId(), title: useId() };
  const prices = useSettings((s) => s.prices);
  const setPrices = useSettings((s) => s.setPrices);
  const model = useSettings(priceModelName);
  const price = useActivePrice();
  const [draft, setDraft] = useState<Draft>(() => draftOf(prices));
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const edit = (next: Draft) => {
    setDraft(next);
    setNotice(null);
    const table = tableOf(next);
    if (table.ok) {
      setPrices(table.table);
      setProblem(null);
    } else setProblem(table.error.replace(/^prices\[(\d+)\]/, (_, i: string) => `Row ${Number(i) + 1}`));
  };
  const editRow = (key: number, patch: Partial<DraftRow>) =>
    edit({ ...draft, rows: draft.rows.map((r) => (r.key === key ? { ...r, ...patch } : r)) });

  return (
    <section className="engine-section prices" aria-labelledby={ids.title} data-testid="prices-section">
      <h3 id={ids.title}>Prices</h3>
      <p className="muted">
        Per million tokens, as your provider bills them: Fixpoint ships none. Give them here or import a JSON
        or CSV file; they stay on this device. With a price, the plan preview predicts a run's cost and every
        run shows what it spent.
      </p>
      <p role="status" data-testid="price-status">
        {model === null
          ? 'Set up a model above to price it.'
          : price
            ? `${model}: ${formatCost(price.input, price.currency)} in · ${formatCost(price.output, price.currency)} out per million tokens${price.cachedInput !== undefined ? ` · ${formatCost(price.cachedInput, price.currency)} cached in` : ''}.`
            : `${model} has no price: its runs show "no price".`}
      </p>
      <div className="field-row">
        <div className="field prices-currency">
          <label htmlFor={ids.currency}>Currency</label>
          <input
            id={ids.currency}
            value={draft.currency}
            maxLength={3}
            size={4}
            spellCheck={false}
            onChange={(e) => edit({ ...draft, currency: e.target.value.toUpperCase() })}
          />
        </div>
      </div>
      {draft.rows.length > 0 && (
        <table className="prices-table" data-testid="prices-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Input</th>
              <th scope="col">Output</th>
              <th scope="col">Cached input</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.rows.map((r, i) => (
              <tr key={r.key}>
                <td>
                  <input
                    aria-label={`Model of row ${i + 1}`}
                    value={r.model}
                    spellCheck={false}
                    onChange={(e) => editRow(r.key, { model: e.target.value })}
                  />
                </td>
                {(['input', 'output', 'cachedInput'] as const).map((field) => (
                  <td key={field}>
                    <input
                      aria-label={`${field === 'cachedInput' ? 'Cached input' : field === 'input' ? 'Input' : 'Output'} price of row ${i + 1}`}
                      inputMode="decimal"
                      value={r[field]}
                      placeholder={field === 'cachedInput' ? 'as input' : ''}
                      onChange={(e) => editRow(r.key, { [field]: e.target.value })}
                    />
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    aria-label={`Remove the price of ${r.model || `row ${i + 1}`}`}
                    onClick={() => edit({ ...draft, rows: draft.rows.filter((x) => x.key !== r.key) })}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problem && (
        <p className="error-text" role="alert" data-testid="prices-problem">
          {problem}. The runs keep the last valid table until this is fixed.
        </p>
      )}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      <div className="prices-actions">
        <button
          type="button"
          onClick={() =>
            edit({
              ...draft,
              rows: [
                ...draft.rows,
                {
                  key: nextKey++,
                  model: model !== null && !draft.rows.some((r) => r.model.trim() === model) ? model : '',
                  input: '',
                  output: '',
                  cachedInput: '',
                },
              ],
            })
          }
          data-testid="prices-add"
        >
          Add a price
        </button>
        <button type="button" onClick={() => fileRef.current?.click()}>
          Import…
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          accept=".json,.csv,application/json,text/csv"
          data-testid="prices-import"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            if (file.size > 4 * 1024 * 1024) {
              setNotice(null);
              setProblem(`${file.name} is too large for a price table`);
              return;
            }
            const parsed = parsePriceTable(await file.text());
            if (!parsed.ok) {
              setNotice(null);
              setProblem(`${file.name}: ${parsed.error}`);
              return;
            }
            setPrices(parsed.table);
            setDraft(draftOf(parsed.table));
            setProblem(null);
            setNotice(
              `Imported ${parsed.table.prices.length} price${parsed.table.prices.length === 1 ? '' : 's'} from ${file.name} (the table before is replaced).`,
            );
          }}
        />
        <button
          type="button"
          disabled={prices.prices.length === 0}
          onClick={() =>
            saveFile(formatPriceTable(prices, 'json'), 'fixpoint-prices.json', 'application/json')
          }
        >
          Export
        </button>
      </div>
    </section>
  );
}
