// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers of services/, top to bottom. A folder may import the folders below it,
 * never one above or beside it (docs/architecture.md):
 *
 *   cli → app → api, resolver → core → storage → protocol
 *   sdk → protocol            (the runner SDK ships on its own)
 *   console                   (browser code: talks to the API over HTTP only)
 */
const LAYERS = ['cli', 'app', 'api', 'resolver', 'core', 'storage', 'protocol', 'sdk', 'console'];

/** What each layer may import, besides itself and npm packages. */
const ALLOWED = {
  cli: ['app', 'api', 'resolver', 'core', 'storage', 'protocol', 'sdk'],
  app: ['api', 'resolver', 'core', 'storage', 'protocol'],
  api: ['core', 'protocol'],
  resolver: ['core', 'protocol'],
  core: ['storage', 'protocol'],
  storage: ['protocol'],
  protocol: [],
  sdk: ['protocol'],
  console: [],
};

/** One zone per layer: every other layer it may not reach. */
const layerZones = Object.entries(ALLOWED).map(([layer, allowed]) => ({
  target: `./services/${layer}`,
  from: LAYERS.filter((other) => other !== layer && !allowed.includes(other)).map(
    (other) => `./services/${other}`,
  ),
  message: `services/${layer} may import only ${allowed.length ? allowed.map((a) => `services/${a}`).join(', ') : 'itself'} (see docs/architecture.md).`,
}));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '**/gen/', '.strongroom/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['services/**/*.ts', 'services/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      // An import that does not resolve would slip past the layer rule unseen.
      'import-x/no-unresolved': 'error',
    },
  },
  {
    // The admin console (browser code): React's rules of hooks, and what its CSP and
    // its promise never to log a value forbid.
    files: ['services/console/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='style']",
          message: 'Inline styles break the console CSP (style-src self): use a class in app/styles.css.',
        },
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'The console never builds HTML from strings.',
        },
        {
          selector: "MemberExpression[object.name='localStorage']",
          message:
            'The console keeps nothing in localStorage (SPEC 12): the token lives in sessionStorage only.',
        },
      ],
    },
  },
);
