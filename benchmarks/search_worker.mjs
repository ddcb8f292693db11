// Runs the theme's own search worker (the file the built site ships) under
// Node and prints, for each query, the results as its search box lists them:
// one group per page, with the section links shown without expanding "more".
//
// Usage: node search_worker.mjs <job.json>
// job: {worker, index, config?: {...}, boosts?: [[locationPrefix, boost]], queries: [..]}
// Output (stdout, JSON): {setup_ms, results: [{q, ms, groups: [{page, anchors}]}]}
import { readFileSync } from "node:fs";
import vm from "node:vm";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const index = JSON.parse(readFileSync(job.index, "utf8"));
Object.assign(index.config, job.config || {});
for (const doc of index.docs)
  for (const [prefix, boost] of job.boosts || [])
    if (doc.location.startsWith(prefix)) doc.boost = boost;

let listener;
let reply;
const sandbox = {
  console: { ...console, warn: () => {} },
  setTimeout, clearTimeout, URL, TextEncoder, TextDecoder,
  addEventListener: (_type, fn) => { listener = fn; },
  postMessage: (message) => { reply = message; },
};
sandbox.self = sandbox;
sandbox.globalThis = sandbox;
vm.createContext(sandbox);
vm.runInContext(readFileSync(job.worker, "utf8"), sandbox);

// Message types of the worker protocol: 0 setup, 1 ready, 2 query, 3 result.
let started = performance.now();
await listener({ data: { type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } } });
const setupMs = performance.now() - started;

// The search box lists a page, then the sections scoring at least as high as
// the page's best entry; the rest sit behind "more" (renderSearchResultItem).
function groupsOf(items) {
  return items.map((group) => {
    const threshold = group[0].score;
    const docs = [...group];
    const parent = docs.findIndex((doc) => !doc.location.includes("#"));
    const [article] = docs.splice(parent, 1);
    let until = docs.findIndex((doc) => doc.score < threshold);
    if (until === -1) until = docs.length;
    const anchors = docs.slice(0, until).map((doc) => doc.location.split("#")[1]);
    return { page: article.location.split("#")[0], anchors };
  });
}

const results = [];
for (const q of job.queries) {
  started = performance.now();
  await listener({ data: { type: 2, data: q } });
  const ms = performance.now() - started;
  results.push({ q, ms, groups: groupsOf(reply.data.items).slice(0, 10) });
}
process.stdout.write(JSON.stringify({ setup_ms: setupMs, results }));
