/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  // plist 5 ships ES modules only (its exports map has no "require" condition).
  // The product loads it with a real dynamic import(); under jest it is mapped
  // to its entry file and transformed to CommonJS like our own sources.
  moduleNameMapper: { '^plist$': '<rootDir>/node_modules/plist/dist/index.js' },
  transformIgnorePatterns: ['/node_modules/(?!plist/)'],
  clearMocks: true,
  restoreMocks: true,
  testTimeout: 30000,
  maxWorkers: 2,
};
