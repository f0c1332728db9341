// Builds report.html from a report.json the way simvus does (reports/report_html.cc), for working
// on the page without rebuilding simvus:
//   node reports/html/assemble.mjs report.json report.html
// template.html's three markers, each once, are replaced where they stand: the style marker by
// uPlot's CSS and report.css, the scripts marker by uPlot's IIFE build and report.js, the JSON
// marker by the report; every "</" inside a script is written "<\/" so nothing ends it early.
// Needs uPlot installed: npm ci --prefix reports/html.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const read = file => fs.readFileSync(path.join(here, file), 'utf8');
const scriptSafe = text => text.replaceAll('</', '<\\/');

export function assemble(reportJson) {
  const page = read('template.html');
  const texts = {
    '/*{{STYLE}}*/': read('node_modules/uplot/dist/uPlot.min.css') + '\n' + read('report.css'),
    '/*{{SCRIPTS}}*/': scriptSafe(read('node_modules/uplot/dist/uPlot.iife.min.js')) + '\n;\n' +
      scriptSafe(read('report.js')),
    '{{REPORT_JSON}}': scriptSafe(reportJson),
  };
  const marks = Object.keys(texts).map(marker => {
    const at = page.indexOf(marker);
    if (at < 0 || page.indexOf(marker, at + 1) >= 0) {
      throw new Error(`template.html must hold ${marker} exactly once`);
    }
    return { at, marker };
  }).sort((a, b) => a.at - b.at);
  let out = '';
  let from = 0;
  for (const { at, marker } of marks) {
    out += page.slice(from, at) + texts[marker];
    from = at + marker.length;
  }
  return out + page.slice(from);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node reports/html/assemble.mjs REPORT.json OUT.html');
    process.exit(2);
  }
  fs.writeFileSync(output, assemble(fs.readFileSync(input, 'utf8')));
}
