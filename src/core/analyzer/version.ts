/** Changes whenever the analyzer would produce other terms; part of the index version. */
export const ANALYZER_VERSION = 'ar-light10p-4';
