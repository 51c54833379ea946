/**
 * The language of everything the library shows: figure titles, axis labels, table headers and
 * other display strings (error messages stay English). A course notebook sets it once in its
 * first cell (`setLocale('zh')` in the 简体中文 notebooks, `setLocale('en')` in the English ones).
 *
 *   setLocale('zh');
 *   tr({ en: 'feature maps', zh: '特征图' })   // → '特征图'
 *
 * The default is English, or TSCNN_LOCALE=zh|en from the environment.
 */
import { opError } from '../tensor/errors';

/** The languages the course is written in. */
export type Locale = 'en' | 'zh';

const LOCALES: readonly Locale[] = ['en', 'zh'];

function fromEnv(): Locale {
  const v = process.env.TSCNN_LOCALE;
  return v === 'zh' || v === 'en' ? v : 'en';
}

let current: Locale = fromEnv();

/** Set the language of display strings; returns the previous one. */
export function setLocale(locale: Locale): Locale {
  if (!LOCALES.includes(locale)) throw opError('setLocale', `locale must be one of ${LOCALES.join(', ')}, got ${JSON.stringify(locale)}`);
  const prev = current;
  current = locale;
  return prev;
}

/** The language display strings are in now. */
export function getLocale(): Locale {
  return current;
}

/** One display string in every language of the course. */
export type Translations = Record<Locale, string>;

/** The string for the current locale (`tr({ en: 'loss', zh: '损失' })`). */
export function tr(texts: Translations): string {
  return texts[current];
}
