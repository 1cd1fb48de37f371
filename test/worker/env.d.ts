// Types `exports.default` of `cloudflare:workers` as our Worker in tests.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../../src/worker/index');
  }
}
