/** superd's version, kept equal to package.json by a test (no file read at start-up). */
export const SUPERD_VERSION = '0.1.0';
export const SUPERD_ID = 'com.github.superd';
