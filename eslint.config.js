import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'tmp/**', '**/*.js', '**/*.mjs', 'coverage/**', 'dist/**', 'src/web/static/vendor/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration from src/config.ts only.' }],
    },
  },
  {
    files: ['test/**', '**/*.test.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Tests read the environment through test/helpers (engines(), testPostgresUrl(), childEnv()).' }] },
  },
  { files: ['src/config.ts', 'scripts/**', 'bench/**', 'test/helpers/**', 'vitest.config.ts'], rules: { 'no-restricted-properties': 'off' } },
);
