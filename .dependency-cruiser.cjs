/**
 * The import rules of the code base, checked by `npm run depcheck` (a CI check):
 * no import circles anywhere; the domain imports nothing outside itself but zod-free types;
 * no layer of shared/ reaches back up to the settings it is configured from; the HTTP edge
 * never knows how records are stored; what operations answer is read by the OpenAPI document alone;
 * zod classic is for that document alone, everything else uses zod/mini.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import circles make load order matter and hide which module is the lower one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'shared/domain holds the rules of the business: no Azure, no HTTP, no other layer.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { pathNot: ['^shared/domain/', '^shared/logging/logger\\.ts$'] },
    },
    {
      name: 'configuration-is-a-leaf',
      comment:
        'Settings are read once and handed down by the composition root; nothing below it imports them.',
      severity: 'error',
      from: { path: '^shared/', pathNot: '^shared/(composition-root|config)\\.ts$' },
      to: { path: '^shared/(config|settings)\\.ts$' },
    },
    {
      name: 'http-knows-no-storage',
      comment:
        'The HTTP edge maps outcomes and port errors; how records are stored is not its concern.',
      severity: 'error',
      from: { path: '^(shared/http|functions)/' },
      to: { path: '^shared/storage/' },
    },
    {
      name: 'responses-are-documentation',
      comment:
        'What operations answer (descriptions, body schemas, examples) only documents them: the OpenAPI document, loaded on its first request, reads it, so a cold start does not build it.',
      severity: 'error',
      from: {
        path: '^(shared|functions)/',
        pathNot: '^shared/api/(openapi-document|openapi-responses|documented-responses)\\.ts$',
      },
      to: {
        path: '^shared/api/(documented-responses|operation-responses|openapi-responses|response-body-schemas|response-examples)\\.ts$',
      },
    },
    {
      name: 'zod-mini-outside-the-document',
      comment:
        "zod classic ('zod', 'zod/v4') cannot be tree-shaken: bundled into main it costs a cold start ~40 ms to import. Schemas use zod/mini; only the OpenAPI document's modules, loaded on its first request, may use classic.",
      severity: 'error',
      from: {
        path: '^(shared|functions)/',
        pathNot: '^shared/api/(openapi-document|openapi-responses|response-body-schemas)\\.ts$',
      },
      to: { path: '^node_modules/zod/(index|v4/index|v4/classic/)' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.package|\\.tools|\\.data)/' },
  },
};
