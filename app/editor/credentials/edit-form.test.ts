import { describe, expect, it } from 'vitest';
import { editSchema, fieldErrors, fieldsPatch, SECRET_SET_HINT } from './edit-form';

const basic = {
  type: 'object',
  properties: {
    username: { type: 'string', title: 'Username' },
    password: { type: 'string', title: 'Password', secret: true },
    testUrl: { type: 'string', title: 'Test URL (optional)' },
  },
  required: ['username', 'password'],
};

describe('credential edit form', () => {
  it('shows a set secret as set and no longer required; an unset one stays as the kind says', () => {
    const edited = editSchema(basic, ['password']);
    expect(edited.required).toEqual(['username']);
    expect(edited.properties).toMatchObject({ password: { secret: true, description: SECRET_SET_HINT, placeholder: expect.stringContaining('set') } });
    expect(basic.required).toEqual(['username', 'password']);
    expect(editSchema(basic, [])).toEqual(basic);
  });

  it('sends changed and typed fields, null for a cleared plain field, and nothing for an untouched secret', () => {
    const detail = { fields: { username: 'ada', testUrl: 'https://api.example.com/me' } };
    expect(fieldsPatch(detail, { username: 'ada', testUrl: 'https://api.example.com/me' })).toEqual({});
    expect(fieldsPatch(detail, { username: 'grace', password: 'pw-new' })).toEqual({ username: 'grace', password: 'pw-new', testUrl: null });
  });

  it('reads the server\'s field problems by field', () => {
    expect(fieldErrors([
      { code: 'invalid_field', message: 'token: token is required', path: ['data', 'token'] },
      { code: 'invalid_name', message: 'name must be 1–200 characters', path: ['name'] },
    ])).toEqual({ token: 'token: token is required' });
  });
});
