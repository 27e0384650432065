// /docs: the human API reference, fully offline. The intro (getting started, errors, rate limits,
// pagination, hooks, the AI-assistant prompt) is rendered here from the OpenAPI document's
// Markdown description; the endpoint reference below it is Swagger UI, served from the npm
// package. No inline script: the app's CSP is `script-src 'self'`, so docs-init.js is a file.
import path from 'node:path';
import express, { Router } from 'express';
import type { AppContext } from '../context';
import { renderMarkdown } from './markdown';
import { buildOpenApiDocument } from './openapi.document';

/** swagger-ui-dist's folder, or null when the package is not installed (the intro still renders). */
function swaggerUiDir(): string | null {
  try {
    return path.dirname(require.resolve('swagger-ui-dist/package.json'));
  } catch {
    return null;
  }
}

/** The only files of the package the page needs (it also ships a demo page pointing at the internet). */
const ASSETS = new Set([
  'favicon-32x32.png',
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui.css.map',
  'swagger-ui-bundle.js.map',
]);

// Runs in the browser. Swagger UI shows the endpoints; the intro is already on the page, so the
// description is dropped; deep linking is off so `#error-<code>` anchors keep working.
const INIT_SCRIPT = `'use strict';
window.addEventListener('DOMContentLoaded', function () {
  if (typeof window.SwaggerUIBundle !== 'function') return;
  fetch('/api/v1/openapi.json', { headers: { Accept: 'application/json' } })
    .then(function (res) { return res.json(); })
    .then(function (spec) {
      spec.info = Object.assign({}, spec.info, { description: '' });
      // Try-it-out calls the server the page came from, whatever PUBLIC_URL says.
      spec.servers = [{ url: location.origin + '/api/v1' }];
      window.ui = window.SwaggerUIBundle({
        spec: spec,
        dom_id: '#swagger-ui',
        deepLinking: false,
        validatorUrl: null,
        defaultModelsExpandDepth: 0,
        docExpansion: 'list',
        tryItOutEnabled: false,
      });
      if (location.hash) { var el = document.getElementById(location.hash.slice(1)); if (el) el.scrollIntoView(); }
    })
    .catch(function () {
      document.getElementById('swagger-ui').textContent = 'The endpoint reference could not be loaded: see /api/v1/openapi.json.';
    });
});
`;

const STYLE = `body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328}
.intro{max-width:960px;margin:0 auto;padding:24px 20px}
.intro h1{font-size:2rem;margin-top:0}.intro h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.intro pre{background:#f6f8fa;padding:12px;overflow:auto;border-radius:6px}
.intro code{font:0.9em ui-monospace,SFMono-Regular,Menlo,monospace}
.intro table{border-collapse:collapse;width:100%}.intro th,.intro td{border:1px solid #d0d7de;padding:6px 10px;text-align:left;vertical-align:top}
.intro tr:target,.intro td:target{background:#fff8c5}
nav.top{background:#0d1117;color:#fff;padding:10px 20px}nav.top a{color:#9ecbff;margin-right:16px}
#reference{max-width:1200px;margin:0 auto}`;

function page(title: string, introHtml: string, hasSwaggerUi: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${hasSwaggerUi ? '<link rel="icon" href="/docs/assets/favicon-32x32.png">\n<link rel="stylesheet" href="/docs/assets/swagger-ui.css">' : ''}
<style>${STYLE}</style>
</head>
<body>
<nav class="top"><a href="/settings">Settings</a><a href="#getting-started">Getting started</a><a href="#errors">Errors</a><a href="#reference">Endpoints</a><a href="/api/v1/openapi.json">openapi.json</a></nav>
<main>
<section class="intro">
<h1>${title}</h1>
${introHtml}
</section>
<section id="reference"><div class="intro"><h2>Endpoints</h2></div><div id="swagger-ui">${hasSwaggerUi ? '' : 'See /api/v1/openapi.json.'}</div></section>
</main>
${hasSwaggerUi ? '<script src="/docs/assets/swagger-ui-bundle.js"></script>' : ''}
<script src="/docs/docs-init.js"></script>
</body>
</html>`;
}

export function docsRoutes(ctx: AppContext): Router {
  const document = buildOpenApiDocument(ctx.config);
  const dir = swaggerUiDir();
  if (!dir) ctx.logger.warn('swagger-ui-dist is not installed: /docs shows the introduction only');
  const html = page(document.info.title, renderMarkdown(document.info.description ?? ''), dir !== null);
  const router = Router()
    .get('/', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(html);
    })
    .get('/docs-init.js', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('application/javascript').send(INIT_SCRIPT);
    });
  if (dir)
    router.use(
      '/assets',
      (req, _res, next) => (ASSETS.has(req.path.slice(1)) ? next() : next('router')),
      express.static(dir, { index: false, redirect: false, maxAge: '1d' }),
    );
  return router;
}
