import cronstrue from 'cronstrue';

/** What a cron expression means in words, or why it cannot be read. */
export function describeCron(expression: string): { text: string; ok: boolean } {
  if (!expression.trim()) return { text: 'e.g. 0 9 * * 1-5 runs at 09:00 on weekdays', ok: true };
  try {
    return { text: cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: true }), ok: true };
  } catch (error) {
    return { text: `Not a valid schedule: ${String(error).replace(/^Error:\s*/, '')}`, ok: false };
  }
}

/** A cron field with its meaning spelled out under it as you type. */
export function CronInput({ value, onChange, ...rest }: { id: string; value: string; placeholder?: string; disabled: boolean; onChange(next: string | undefined): void; 'aria-invalid': boolean; 'aria-describedby': string }) {
  const meaning = describeCron(value);
  return (
    <>
      <input type="text" className="mono" {...rest} value={value} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      <div className={meaning.ok ? 'cron-preview' : 'field-error'} data-testid="cron-preview" aria-live="polite">{meaning.text}</div>
    </>
  );
}
