import { describe, expect, it } from 'vitest';
import { shebangInterpreter } from './prepare-step';

describe('shebangInterpreter', () => {
  it.each([
    ['#!/bin/bash\necho', '/bin/bash'],
    ['#! /usr/bin/env python3\nprint()', '/usr/bin/env'],
    ['#!/usr/bin/env -S node --no-warnings\n', '/usr/bin/env'],
    ['echo no shebang', undefined],
    ['#!\n', undefined],
  ])('reads %j', (script, interpreter) => {
    expect(shebangInterpreter(script)).toBe(interpreter);
  });
});
