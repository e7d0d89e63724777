import type { en } from './en';

/**
 * The shape every language provides: the English keys with any string. Chinese has no singular
 * plural form, so the `_one` variants are English-only.
 */
type Strings<T> = { [K in keyof T as K extends `${string}_one` ? never : K]: T[K] extends string ? string : Strings<T[K]> };
export type Messages = Strings<typeof en>;
