import type { Locale } from '../api/types';
import type { Dictionary } from './core';
import { en } from './en';
import { fa } from './fa';
import { ru } from './ru';

export const DICTIONARIES: Record<Locale, Dictionary> = { en, fa, ru };
