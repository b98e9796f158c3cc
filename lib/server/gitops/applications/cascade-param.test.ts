import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { cascadeParam } from './delete-application';

describe('the cascade query parameter of DELETE /api/v1/applications/{name}', () => {
  it('cascades unless told not to, as Argo CD does', () => {
    expect(cascadeParam(null)).toBe(true);
    expect(cascadeParam('true')).toBe(true);
    expect(cascadeParam('false')).toBe(false);
  });

  it('refuses anything else with the field and a hint', () => {
    let error: unknown;
    try {
      cascadeParam('yes please');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).details.issues?.[0].path).toBe('cascade');
    expect((error as AppError).details.hint).toContain('cascade=false');
  });
});
