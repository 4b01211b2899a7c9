/**
 * winston's hidden info fields (triple-beam defines them with Symbol.for, so the registry
 * symbols are the same ones without importing a transitive dependency).
 */
export const LEVEL = Symbol.for('level');
export const MESSAGE = Symbol.for('message');
export const SPLAT = Symbol.for('splat');
