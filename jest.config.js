// Two projects: fast unit specs beside the code, and integration specs that need a broker and a
// database (provided by test/global-setup.ts) and run one file at a time.
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/quiet-logs.ts'],
};

module.exports = {
  // Global only: jest ignores it inside a project.
  testTimeout: 60000,
  // Failures are repeated at the end of the output, where a CI log's tail shows them.
  reporters: [['default', { summaryThreshold: 0 }]],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'] },
    // The behaviour suite against the embedded mode: no services needed.
    {
      ...common,
      displayName: 'embedded',
      testMatch: ['<rootDir>/test/**/*.embedded-spec.ts'],
    },
    // The console in headless chromium against the embedded mode.
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/**/*.browser-spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
