// Run before each test file (vitest setupFiles): the temporary folders its tests make are removed after them.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(() => removeTempDirs());
