// Lets plain `node` run the TypeScript sources (CLI, benchmark) without a build: transpile-only, no type check.
// Output is cached under node_modules/.cache by content hash, since transpiling on every child-process
// start would dominate the durability tests' run time.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const cacheDir = path.join(__dirname, '../../node_modules/.cache/sb-register-ts');
let ts;

function transpile(source, filename) {
  ts ??= require('typescript');
  const compilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
  };
  return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = path.join(
    cacheDir,
    crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex') + '.js',
  );
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.writeFileSync(`${cached}.${process.pid}`, output);
      fs.renameSync(`${cached}.${process.pid}`, cached);
    } catch {
      // A read-only tree only loses the cache.
    }
  }
  module._compile(output, filename);
};
