import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The domain is pure: no framework, no I/O, no clock, no randomness (architecture rule 2).
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', '@angular/*', 'rxjs', 'rxjs/*'], message: 'libs/domain imports no framework.' },
            {
              group: [
                'fs',
                'node:*',
                'http',
                'https',
                'net',
                'crypto',
                'better-sqlite3',
                'mongodb',
                'nats',
                '@eventstore/*',
              ],
              message: 'libs/domain does no I/O.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time arrives in command metadata.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time arrives in command metadata.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Ids arrive in command metadata.',
        },
      ],
    },
  },
];
