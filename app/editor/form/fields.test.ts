// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { one, renderForm } from './test-harness';

afterEach(cleanup);

describe('SchemaForm: plain field kinds', () => {
  it('text: typing updates the value; clearing removes the key', () => {
    const { changes } = renderForm(one('customerName', { type: 'string' }));
    const input = screen.getByRole('textbox', { name: 'Customer name' });
    fireEvent.change(input, { target: { value: 'Ada' } });
    expect(changes.last()).toEqual({ customerName: 'Ada' });
    expect(changes.keys.at(-1)).toBe('customerName');
    expect(input).toHaveProperty('value', 'Ada');
    fireEvent.change(input, { target: { value: '' } });
    expect(changes.last()).toEqual({});
  });

  it('text: a secret field is a password input and the title is used as label', () => {
    renderForm(one('token', { type: 'string', title: 'API token', secret: true }));
    const input = screen.getByLabelText('API token');
    expect(input.getAttribute('type')).toBe('password');
  });

  it('number: typing gives a number; integer fields step by 1 and refuse fractions', () => {
    const { changes } = renderForm(one('retries', { type: 'integer', minimum: 0, maximum: 5 }));
    const input = screen.getByRole('spinbutton', { name: 'Retries' });
    expect(input.getAttribute('step')).toBe('1');
    fireEvent.change(input, { target: { value: '3' } });
    expect(changes.last()).toEqual({ retries: 3 });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(input, { target: { value: '9' } });
    expect(changes.last()).toEqual({ retries: 9 });
    expect(screen.getByRole('alert').textContent).toBe('Use 5 or less');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(input, { target: { value: '2.5' } });
    expect(screen.getByRole('alert').textContent).toBe('Use a whole number');
  });

  it('boolean: a checkbox showing the default, toggling reports true/false', () => {
    const { changes } = renderForm(one('follow', { type: 'boolean', default: true, description: 'Follow redirects' }));
    // Named by the field title alone; the text beside it is its description, not a second name.
    const box = screen.getByRole('checkbox', { name: 'Follow' });
    expect(box.getAttribute('aria-describedby')).toContain('-desc');
    expect(box).toHaveProperty('checked', true);
    expect(screen.getByText('Follow redirects')).toBeTruthy();
    fireEvent.click(box);
    expect(changes.last()).toEqual({ follow: false });
    expect(box).toHaveProperty('checked', false);
    fireEvent.click(box);
    expect(changes.last()).toEqual({ follow: true });
  });

  it('enum: a select whose options show enumLabels and report the raw value', () => {
    const { changes } = renderForm(one('method', {
      type: 'string', enum: ['GET', 'POST'], enumLabels: { GET: 'Read (GET)', POST: 'Send (POST)' },
    }));
    const select = screen.getByRole('combobox', { name: 'Method' });
    const options = within(select).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Choose…', 'Read (GET)', 'Send (POST)']);
    fireEvent.change(select, { target: { value: 'POST' } });
    expect(changes.last()).toEqual({ method: 'POST' });
    expect(select).toHaveProperty('value', 'POST');
  });

  it('enum with a default: no empty choice, the default is selected', () => {
    renderForm(one('priority', { type: 'string', enum: ['low', 'high'], default: 'high' }));
    const select = screen.getByRole('combobox', { name: 'Priority' });
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['low', 'high']);
    expect(select).toHaveProperty('value', 'high');
  });

  it('multi-select: one labelled checkbox per option, checked values collected in order', () => {
    const { changes } = renderForm(one('events', {
      type: 'array', items: { type: 'string', enum: ['created', 'paid', 'refunded'], enumLabels: { paid: 'Payment received' } },
    }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Payment received' }));
    expect(changes.last()).toEqual({ events: ['paid'] });
    fireEvent.click(screen.getByRole('checkbox', { name: 'refunded' }));
    expect(changes.last()).toEqual({ events: ['paid', 'refunded'] });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Payment received' }));
    expect(changes.last()).toEqual({ events: ['refunded'] });
  });

  it('key-value list: add a row, fill name and value, remove it', () => {
    const { changes } = renderForm(one('headers', {
      type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } },
    }));
    fireEvent.click(screen.getByRole('button', { name: '+ Add headers' }));
    expect(changes.last()).toEqual({ headers: [{ name: '', value: '' }] });
    fireEvent.change(screen.getByRole('textbox', { name: 'Headers 1 name' }), { target: { value: 'x-id' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Headers 1 value' }), { target: { value: '42' } });
    expect(changes.last()).toEqual({ headers: [{ name: 'x-id', value: '42' }] });
    fireEvent.click(screen.getByRole('button', { name: 'Remove Headers 1' }));
    expect(changes.last()).toEqual({ headers: [] });
  });

  it('JSON: objects parse, plain words stay strings, broken JSON shows an error and keeps the last value', () => {
    const { changes } = renderForm(one('payload', {}));
    const area = screen.getByRole('textbox', { name: 'Payload' });
    fireEvent.change(area, { target: { value: '{"a": [1, 2]}' } });
    expect(changes.last()).toEqual({ payload: { a: [1, 2] } });
    fireEvent.change(area, { target: { value: '42' } });
    expect(changes.last()).toEqual({ payload: 42 });
    fireEvent.change(area, { target: { value: 'hello there' } });
    expect(changes.last()).toEqual({ payload: 'hello there' });
    const before = changes.values.length;
    fireEvent.change(area, { target: { value: '{"a": ' } });
    expect(changes.values.length).toBe(before);
    expect(screen.getByRole('alert').textContent).toMatch(/^Not valid JSON/);
    expect(area).toHaveProperty('value', '{"a": ');
    expect(area.getAttribute('aria-invalid')).toBe('true');
  });

  it('read-only: every control is disabled and no add buttons are offered', () => {
    renderForm({
      type: 'object',
      properties: { url: { type: 'string' }, headers: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } } } },
    }, { value: { url: 'https://example.com', headers: [{ name: 'a', value: 'b' }] }, readOnly: true });
    expect(screen.getByRole('textbox', { name: 'Url' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('textbox', { name: 'Headers 1 name' })).toHaveProperty('disabled', true);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
