module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // e2e suites start real apps and servers; on a loaded 2-core CI machine a start-up can exceed jest's 5 s
  // default, and a hook that times out leaves a half-started app alive that keeps jest from exiting.
  testTimeout: 60_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  // jose is ESM-only; ts-jest (allowJs) compiles it to CJS for jest (docs toolchain.md).
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/api',
};
