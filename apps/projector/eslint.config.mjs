import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // NOTE: Nest resolves constructor parameters from decorator metadata, so an import used only in a
    // constructor type is a runtime import; the parser must know, or consistent-type-imports would
    // turn DI tokens into `import type` and break injection.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
  },
];
