/**
 * The money budget of a run (a run setting kept on this device, not part of the plan): a run stops with
 * BudgetExceeded before a model call that could take its cost past it. It needs the model's price; without
 * one the field says so and no budget is sent.
 */
import { useId, useState } from 'react';
import { formatCost } from '../../../workers/lang/index.ts';
import { useActivePrice, useSettings } from '../../store/settings.ts';

export function CostBudgetField({ expected }: { expected: number | null }) {
  const id = useId();
  const maxCost = useSettings((s) => s.maxCost);
  const setMaxCost = useSettings((s) => s.setMaxCost);
  const price = useActivePrice();
  const [text, setText] = useState(maxCost === null ? '' : String(maxCost));
  const typed = text.trim() === '' ? null : Number(text);
  const wrong = typed !== null && !(Number.isFinite(typed) && typed > 0);
  return (
    <div className="cost-budget" data-testid="cost-budget">
      <label htmlFor={id}>Stop a run at a cost of</label>{' '}
      <input
        id={id}
        inputMode="decimal"
        placeholder="no limit"
        size={8}
        value={text}
        aria-invalid={wrong}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.value.trim() === '' ? null : Number(e.target.value);
          if (n === null || (Number.isFinite(n) && n > 0)) setMaxCost(n);
        }}
      />{' '}
      {price?.currency ?? ''}{' '}
      <span className={wrong ? 'error-text' : 'muted'}>
        {wrong
          ? 'an amount above 0, or empty for no limit'
          : !price
            ? maxCost !== null
              ? 'needs a price for this model: not applied'
              : 'needs a price for this model (model settings)'
            : maxCost !== null && expected !== null && maxCost < expected
              ? `below the ${formatCost(expected, price.currency)} this run is expected to cost: it will likely stop early`
              : 'a call that could go past it is never sent'}
      </span>
    </div>
  );
}
