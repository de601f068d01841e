import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { errorMessage, issuesForForm } from './errors';

const labels = { name: 'Name', 'secret.value': 'Token value', scopes: 'Scopes', headerName: 'Header name' };

describe('errors in words', () => {
  it('shows ApiError messages and never the text of an unexpected error', () => {
    expect(errorMessage(new ApiError('LOCKED', 'The vault is locked.', []))).toBe('The vault is locked.');
    expect(errorMessage(new TypeError("Cannot read properties of undefined (reading 'x')"))).not.toMatch(/undefined|TypeError/);
  });

  it('puts each issue at its field as a sentence, the first issue per field only', () => {
    const e = new ApiError('VALIDATION', '3 problems', [
      { path: 'name', message: 'must not be empty' },
      { path: 'secret.value', message: 'must not be empty' },
      { path: 'secret.value', message: 'must be one line of printable ASCII characters without spaces' },
      { path: 'scopes.2', message: 'must be at most 200 characters' },
    ]);
    expect(issuesForForm(e, labels)).toEqual({
      fields: {
        name: 'Name must not be empty.',
        'secret.value': 'Token value must not be empty.',
        scopes: 'Scopes must be at most 200 characters.',
      },
      form: null,
    });
  });

  it('says at the form level what no field can show', () => {
    const e = new ApiError('VALIDATION', 'x', [{ path: 'environmentId', message: 'must be an id' }]);
    expect(issuesForForm(e, labels)).toEqual({ fields: {}, form: 'environmentId must be an id.' });
    expect(issuesForForm(new ApiError('NOT_FOUND', 'No such environment.', []), labels)).toEqual({ fields: {}, form: 'No such environment.' });
  });
});
