// A small Markdown renderer for the docs intro (our own text, not user input): headings with
// anchors, paragraphs, lists, tables, fenced code, inline code/bold/links. Everything is
// HTML-escaped; the only raw HTML let through is the empty anchor `<a id="…"></a>`.
const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/<[^>]*>|`/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function inline(text: string): string {
  const codes: string[] = [];
  let out = text.replace(
    /`([^`]+)`/g,
    (_m, code: string) => `\uE000${codes.push(escapeHtml(code)) - 1}\uE000`,
  );
  const anchors: string[] = [];
  out = out.replace(
    /<a id="([a-z0-9_-]+)"><\/a>/g,
    (_m, id: string) => `\uE001${anchors.push(id) - 1}\uE001`,
  );
  out = escapeHtml(out)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) =>
      /^(https?:\/\/|\/|#)/.test(href) ? `<a href="${href}">${label}</a>` : label,
    );
  return out
    .replace(/\uE001(\d+)\uE001/g, (_m, i: string) => `<a id="${anchors[Number(i)]}"></a>`)
    .replace(/\uE000(\d+)\uE000/g, (_m, i: string) => `<code>${codes[Number(i)]}</code>`);
}

const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

export function renderMarkdown(md: string): string {
  const lines = md.split('\n');
  const html: string[] = [];
  let i = 0;
  const at = (k: number) => lines[k] ?? '';
  while (i < lines.length) {
    const line = at(i);
    if (line.trim() === '') {
      i += 1;
    } else if (line.startsWith('```')) {
      const lang = line.slice(3).trim();
      const body: string[] = [];
      for (i += 1; i < lines.length && !at(i).startsWith('```'); i += 1) body.push(at(i));
      i += 1;
      html.push(
        `<pre><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${escapeHtml(body.join('\n'))}</code></pre>`,
      );
    } else if (/^#{1,4} /.test(line)) {
      const level = line.indexOf(' ');
      const text = line.slice(level + 1);
      html.push(`<h${level + 1} id="${slug(text)}">${inline(text)}</h${level + 1}>`);
      i += 1;
    } else if (line.startsWith('|')) {
      const rows: string[] = [];
      for (; i < lines.length && at(i).startsWith('|'); i += 1) rows.push(at(i));
      const [head = '', , ...body] = rows;
      const th = cells(head)
        .map((c) => `<th>${inline(c)}</th>`)
        .join('');
      const trs = body
        .map(
          (r) =>
            `<tr>${cells(r)
              .map((c) => `<td>${inline(c)}</td>`)
              .join('')}</tr>`,
        )
        .join('');
      html.push(`<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`);
    } else if (/^(\d+\.|-) /.test(line)) {
      const ordered = /^\d+\./.test(line);
      const items: string[] = [];
      for (; i < lines.length && /^(\d+\.|-) /.test(at(i)); i += 1)
        items.push(at(i).replace(/^(\d+\.|-) /, ''));
      const tag = ordered ? 'ol' : 'ul';
      html.push(`<${tag}>${items.map((it) => `<li>${inline(it)}</li>`).join('')}</${tag}>`);
    } else {
      const para: string[] = [];
      for (; i < lines.length && at(i).trim() !== '' && !/^(```|#{1,4} |\||(\d+\.|-) )/.test(at(i)); i += 1)
        para.push(at(i));
      html.push(`<p>${inline(para.join(' '))}</p>`);
    }
  }
  return html.join('\n');
}
