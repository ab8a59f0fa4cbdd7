import { useEffect, useState } from 'react';
import { api, plainMessage } from '~/editor/api';
import { ErrorBanner } from '~/editor/ui/bits';

interface Row { model: string; input: string; output: string }
interface Price { model: string; input: number; output: number }

/**
 * The model price table AI steps cost their tokens with (USD per million tokens). Edited as a whole
 * and saved in one PUT; a model missing here records tokens only.
 */
export function ModelPrices() {
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  const show = (prices: Price[]) => setRows(prices.map((p) => ({ model: p.model, input: String(p.input), output: String(p.output) })));
  useEffect(() => { api<{ prices: Price[] }>('/ai/prices').then((r) => show(r.prices), (e) => setError(plainMessage(e))); }, []);

  const edit = (index: number, change: Partial<Row>) => {
    setSaved(false);
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));
  };

  async function save() {
    setError(undefined);
    try {
      const prices = rows.filter((r) => r.model.trim()).map((r) => ({ model: r.model.trim(), input: Number(r.input), output: Number(r.output) }));
      const bad = prices.find((p) => !Number.isFinite(p.input) || !Number.isFinite(p.output));
      if (bad) { setError(`The prices of "${bad.model}" must be numbers.`); return; }
      show((await api<{ prices: Price[] }>('/ai/prices', { method: 'PUT', body: { prices } })).prices);
      setSaved(true);
    } catch (e) {
      setError(plainMessage(e));
    }
  }

  return (
    <section className="card pad" aria-labelledby="prices-title">
      <h2 id="prices-title">AI model prices</h2>
      <p className="muted">What AI steps cost, in US dollars per million tokens, by model id exactly as the step names it. Steps using a model not listed record their tokens only.</p>
      <ErrorBanner message={error} />
      {saved && <div className="banner ok" role="status">Prices saved.</div>}
      <table className="list" aria-label="AI model prices">
        <thead><tr><th>Model</th><th>Input ($ / 1M tokens)</th><th>Output ($ / 1M tokens)</th><th /></tr></thead>
        <tbody>{rows.map((row, i) => (
          <tr key={i}>
            <td><input aria-label={`Model ${i + 1}`} value={row.model} placeholder="gpt-4o-mini" onChange={(e) => edit(i, { model: e.target.value })} /></td>
            <td><input aria-label={`Input price ${i + 1}`} inputMode="decimal" value={row.input} onChange={(e) => edit(i, { input: e.target.value })} /></td>
            <td><input aria-label={`Output price ${i + 1}`} inputMode="decimal" value={row.output} onChange={(e) => edit(i, { output: e.target.value })} /></td>
            <td className="actions"><button type="button" className="small ghost danger" onClick={() => { setSaved(false); setRows(rows.filter((_, j) => j !== i)); }}>Remove</button></td>
          </tr>
        ))}</tbody>
      </table>
      <div className="row" style={{ marginTop: 12 }}>
        <button type="button" className="small" onClick={() => { setSaved(false); setRows([...rows, { model: '', input: '0', output: '0' }]); }}>Add model</button>
        <button type="button" className="primary" onClick={() => void save()}>Save prices</button>
      </div>
    </section>
  );
}
