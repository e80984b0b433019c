// The pure half of the forms' field errors: which field each API error lands on, and what the
// submit button says (app/_components/field-errors-map.ts).
import { describe, expect, it } from 'vitest';
import { describedBy, errorsFrom, fieldFor, fieldSlug } from '@/app/_components/field-errors-map';

const known = new Set(['name', 'samplingParams.temperature', 'settings.sft']);

describe('fieldFor', () => {
  it('finds the field or its nearest enclosing one, or none', () => {
    expect(fieldFor('name', known)).toBe('name');
    expect(fieldFor('samplingParams.temperature', known)).toBe('samplingParams.temperature');
    expect(fieldFor('settings.sft.steps', known)).toBe('settings.sft');
    expect(fieldFor('overlap', known)).toBeNull();
    expect(fieldFor('', known)).toBeNull();
    expect(fieldFor('anything', null)).toBe('anything');
  });
});

describe('errorsFrom', () => {
  it('puts validation details on their fields and points the button at them', () => {
    const s = errorsFrom(
      { message: 'Name is empty; fill it in.', details: [{ path: 'name', message: 'Name is empty; fill it in.' }, { path: 'samplingParams.temperature', message: 'Temperature must be above 0 and at most 2' }] },
      known,
    );
    expect(s.fields).toEqual({ name: 'Name is empty; fill it in.', 'samplingParams.temperature': 'Temperature must be above 0 and at most 2' });
    expect(s.form).toBe('Fix the 2 fields marked above, then try again.');
  });

  it('keeps the first message per field', () => {
    const s = errorsFrom({ message: 'a', details: [{ path: 'name', message: 'first' }, { path: 'name', message: 'second' }] }, known);
    expect(s.fields).toEqual({ name: 'first' });
    expect(s.form).toBe('Fix the field marked above, then try again.');
  });

  it('puts an error naming one field ({field}) on it', () => {
    expect(errorsFrom({ message: 'A project with that name exists.', details: { field: 'name' } }, known)).toEqual({
      fields: { name: 'A project with that name exists.' },
      form: 'Fix the field marked above, then try again.',
    });
  });

  it('shows at the button what no field on the form can show', () => {
    expect(errorsFrom({ message: 'You are signed out.' }, known)).toEqual({ fields: {}, form: 'You are signed out.' });
    const mixed = errorsFrom({ message: 'x', details: [{ path: '', message: '“colour” is not a setting Hone knows; remove it.' }, { path: 'name', message: 'Name is empty.' }] }, known);
    expect(mixed.fields).toEqual({ name: 'Name is empty.' });
    expect(mixed.form).toBe('“colour” is not a setting Hone knows; remove it. Also: fix the field marked above, then try again.');
    expect(errorsFrom({ message: 'Bad.', details: ['not a detail'] }, known)).toEqual({ fields: {}, form: 'Bad.' });
  });
});

describe('ids', () => {
  it('joins present ids and makes names id-safe', () => {
    expect(describedBy('hint', undefined, false, 'err')).toBe('hint err');
    expect(describedBy(undefined, '')).toBeUndefined();
    expect(fieldSlug('samplingParams.topP')).toBe('samplingParams-topP');
  });
});
