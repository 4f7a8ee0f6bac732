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
  { files: ['src/config.ts', 'scripts/**', 'bench/**', 'test/**', '**/*.test.ts', 'vitest.config.ts'], rules: { 'no-restricted-properties': 'off' } },
);
