// @vitest-environment happy-dom
import { EditorView } from '@codemirror/view';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fieldErrors } from '../store/run-slice';
import { one, renderForm } from './test-harness';

afterEach(cleanup);

describe('SchemaForm: code, cron, expressions, errors', () => {
  it('code: a CodeMirror editor labelled with the field, showing the value; edits reach onChange', async () => {
    const { changes } = renderForm(one('code', { type: 'string', widget: 'code', title: 'JavaScript' }), { value: { code: 'return 1;' } });
    // The editor is loaded lazily (a read-only textarea stands in meanwhile); its editable element carries the label.
    const content = await waitFor(() => {
      const el = screen.getByRole('textbox', { name: 'JavaScript' });
      expect(el.classList.contains('cm-content')).toBe(true);
      return el;
    }, { timeout: 5000 });
    expect(content.textContent).toContain('return 1;');
    const view = EditorView.findFromDOM(content);
    expect(view).not.toBeNull();
    act(() => { view!.dispatch({ changes: { from: view!.state.doc.length, insert: '\nreturn 2;' } }); });
    expect(changes.last()).toEqual({ code: 'return 1;\nreturn 2;' });
  });

  it('cron: the meaning is spelled out as you type; a broken schedule says so', () => {
    const { changes } = renderForm(one('schedule', { type: 'string', widget: 'cron' }));
    const input = screen.getByRole('textbox', { name: 'Schedule' });
    expect(screen.getByTestId('cron-preview').textContent).toMatch(/^e\.g\./);
    fireEvent.change(input, { target: { value: '0 9 * * 1-5' } });
    expect(changes.last()).toEqual({ schedule: '0 9 * * 1-5' });
    const preview = screen.getByTestId('cron-preview');
    expect(preview.textContent).toContain('09:00');
    expect(preview.textContent).toMatch(/Monday through Friday/);
    expect(preview.className).toBe('cron-preview');
    fireEvent.change(input, { target: { value: '61 * * * *' } });
    expect(screen.getByTestId('cron-preview').textContent).toMatch(/^Not a valid schedule/);
    expect(screen.getByTestId('cron-preview').className).toBe('field-error');
  });

  it('expression toggle: switches a string field to an expression with a live preview, and back', () => {
    const { changes } = renderForm(one('greeting', { type: 'string', expression: true }), {
      value: { greeting: 'Hi' },
      expression: { $json: { name: 'Ada' }, nodes: {} },
    });
    const toggle = screen.getByRole('button', { name: 'Greeting: use an expression' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(screen.getByRole('button', { name: 'Greeting: use a fixed value' }).getAttribute('aria-pressed')).toBe('true');
    const area = screen.getByRole('textbox', { name: 'Greeting' });
    expect(area.tagName).toBe('TEXTAREA');
    expect(area).toHaveProperty('value', 'Hi');
    fireEvent.change(area, { target: { value: 'Hello {{ $json.name }}' } });
    expect(changes.last()).toEqual({ greeting: 'Hello {{ $json.name }}' });
    expect(screen.getByTestId('expression-preview').textContent).toBe('Preview: Hello Ada');
    // The picker lists fields from the sample run.
    fireEvent.click(screen.getByRole('button', { name: 'Insert a field into Greeting' }));
    expect(screen.getByRole('option', { name: /\$json\.name/ })).toBeTruthy();
    // Back to fixed: an expression is not a fixed value, so the field is cleared.
    fireEvent.click(screen.getByRole('button', { name: 'Greeting: use a fixed value' }));
    expect(changes.last()).toEqual({});
    expect(screen.getByRole('textbox', { name: 'Greeting' }).tagName).toBe('INPUT');
  });

  it('expression: a value with {{ opens in expression mode; fields without the hint have no toggle', () => {
    renderForm({
      type: 'object',
      properties: { to: { type: 'string', expression: true }, subject: { type: 'string' } },
    }, { value: { to: '{{ $json.email }}' } });
    expect(screen.getByRole('textbox', { name: 'To' }).tagName).toBe('TEXTAREA');
    expect(screen.getByTestId('expression-preview')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Subject:/ })).toBeNull();
  });

  it('required: marked with *, and "Required" shown while empty', () => {
    const { changes } = renderForm(one('url', { type: 'string' }, true));
    expect(screen.getByTitle('Required').textContent).toBe('*');
    const input = screen.getByRole('textbox', { name: 'Url' });
    expect(screen.getByRole('alert').textContent).toBe('Required');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(input, { target: { value: 'https://example.com' } });
    expect(changes.last()).toEqual({ url: 'https://example.com' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('server problems: mapped to fields by props path and shown inline, nested ones too', () => {
    const errors = fieldErrors([
      { code: 'invalid_props', nodeId: 'n1', path: ['props', 'url'], message: 'node "n1": props.url: must be a full web address' },
      { code: 'invalid_props', nodeId: 'n1', path: ['props', 'rules', 0, 'value'], message: 'must not be empty' },
      { code: 'cycle', nodeId: 'n1', message: 'ignored: not a field' },
    ]);
    expect(errors).toEqual({ url: 'must be a full web address', 'rules.0.value': 'must not be empty' });
    renderForm({
      type: 'object',
      properties: {
        url: { type: 'string' },
        rules: { type: 'array', items: { type: 'object', properties: { value: { type: 'string' } } } },
      },
    }, { value: { url: 'example', rules: [{ value: 'x' }] }, errors });
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual(['must be a full web address', 'must not be empty']);
    expect(screen.getByRole('textbox', { name: 'Url' }).getAttribute('aria-invalid')).toBe('true');
    const nested = screen.getByRole('group', { name: 'Rules 1' });
    expect(nested.querySelector('[aria-invalid="true"]')).not.toBeNull();
  });

  it('browser checks use the schema message words (pattern, minLength)', async () => {
    renderForm({ type: 'object', properties: { code: { type: 'string', pattern: '^[A-Z]+$', minLength: 2 } } }, { value: { code: 'a' } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('At least 2 characters'));
    fireEvent.change(screen.getByRole('textbox', { name: 'Code' }), { target: { value: 'ab' } });
    expect(screen.getByRole('alert').textContent).toBe('This format is not accepted here');
  });
});
