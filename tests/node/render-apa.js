// Renders a CSL-JSON file in APA with citeproc-js, the engine inside Zotero.
// Usage: node render-apa.js ITEMS.json  ->  stdout: {"ids": [...], "entries": [...]}
// One bibliography entry per item is expected; the Python test compares the ids.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const items = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const byId = new Map(items.map((item) => [String(item.id), item]));
const style = fs.readFileSync(path.join(__dirname, "apa.csl"), "utf8");
const locale = fs.readFileSync(path.join(__dirname, "locales-en-US.xml"), "utf8");

const sys = {
  retrieveLocale: () => locale,
  retrieveItem: (id) => byId.get(String(id)),
};
const engine = new CSL.Engine(sys, style, "en-US");
engine.setOutputFormat(process.argv[3] || "text");
engine.updateItems([...byId.keys()]);
const [params, entries] = engine.makeBibliography();
if (params.bibliography_errors && params.bibliography_errors.length) {
  console.error(JSON.stringify(params.bibliography_errors));
  process.exit(1);
}
process.stdout.write(JSON.stringify({ ids: params.entry_ids.map((ids) => ids[0]), entries }) + "\n");
