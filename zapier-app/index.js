// The entry point the Zapier CLI (and the root test suite) loads: the compiled app in dist/.
// `npm run build` (or the CLI's `_zapier-build`) produces it from src/.
const app = require('./dist');

module.exports = app.default ?? app;
