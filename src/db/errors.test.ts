import { describe, expect, it } from 'vitest';
import { isTransient, isUniqueViolation } from './errors';

describe('database error kinds', () => {
  it('knows a deadlock or a serialization failure however deep the driver wrapped it', () => {
    expect(isTransient({ code: '40P01' })).toBe(true);
    expect(isTransient(new Error('Failed query', { cause: { code: '40001' } }))).toBe(true);
    expect(isTransient({ code: '23505' })).toBe(false);
    expect(isTransient(new Error('connection refused'))).toBe(false);
    expect(isUniqueViolation(new Error('x', { cause: { code: '23505' } }))).toBe(true);
  });
});
